#!/usr/bin/python3
"""Writes select_kbest.json: scikit-learn's preprocessing of OpenML data sets, as the ERMI benchmark did it.

For each ARFF file: nominal attributes coded by their declaration order and the class as 0/1 in its declared
order (what openml-python's get_X_and_y returns), MinMaxScaler over the whole data set, f_classif F-scores,
and the 4 columns SelectKBest(f_classif, k=4) keeps. Run with Debian's python3-sklearn 1.2 and python3-scipy:
  cd testdata && /usr/bin/python3 make_select_fixture.py ../../../../shared/data/openml-cc18
"""
import json
import sys

import numpy as np
import sklearn
from scipy.io import arff
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.preprocessing import MinMaxScaler

root = sys.argv[1]
cases = []
for folder, file, target in [("credit-g", "credit-g.arff", "class"), ("diabetes", "diabetes.arff", "class"),
                             ("kr-vs-kp", "kr-vs-kp.arff", "class"), ("pc4", "PC4.arff", "Defective"),
                             ("banknote-authentication", "banknote-authentication.arff", "Class")]:
    data, meta = arff.loadarff(f"{root}/{folder}/{file}")
    cols = []
    y = None
    for name in meta.names():
        kind, values = meta[name]
        col = data[name]
        if kind == "nominal":
            codes = {v: i for i, v in enumerate(values)}
            col = np.array([codes[v.decode()] for v in col], dtype=float)
        col = np.asarray(col, dtype=float)
        if name == target:
            y = col.astype(int)
        else:
            cols.append(col)
    x = np.stack(cols, axis=1)
    xs = MinMaxScaler().fit_transform(x)
    f, _ = f_classif(xs, y)
    sel = SelectKBest(f_classif, k=4).fit(xs, y).get_support(indices=True)
    cases.append({"file": f"{folder}/{file}", "target": target, "rows": int(x.shape[0]), "features": int(x.shape[1]),
                  "class1": int(y.sum()), "f": [None if np.isnan(v) else float(v) for v in f],
                  "selected": [int(i) for i in sel], "first_row_scaled": xs[0].tolist()})
with open("select_kbest.json", "w") as fh:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, fh, indent=1)
print(len(cases), "cases")
