#!/bin/sh
# Fetches the echarts build that kernelext embeds (go-echarts v2 draws with echarts 5) from the npm
# registry: echarts.min.js, with its LICENSE (Apache-2.0) and NOTICE.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
(cd "$tmp" && npm pack echarts@5.6.0 >/dev/null && tar xzf echarts-5.6.0.tgz)
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" .
rm -rf "$tmp"
