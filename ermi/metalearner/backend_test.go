package metalearner

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

// TestBackendDefaultConfig checks that a build without XLA, with
// GOMLX_BACKEND unset, runs on the pure-Go backend with GoBackendConfig.
func TestBackendDefaultConfig(t *testing.T) {
	if _, set := os.LookupEnv(compute.ConfigEnvVar); set || slices.Contains(compute.List(), "xla") {
		t.Skip("GOMLX_BACKEND is set or XLA is compiled in: the default does not apply")
	}
	if got := BackendDescription(); !strings.Contains(got, "["+GoBackendConfig+"]") {
		t.Errorf("BackendDescription() = %q, want the configuration %q", got, GoBackendConfig)
	}
}
