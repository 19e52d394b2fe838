#!/usr/bin/python3
"""Writes crosscheck_expected.json: what scikit-learn and xgboost predict on
the splits in crosscheck_sets.json (written by the Go test with
-update-sets). Run with Debian's python3-sklearn (1.2.1) and python3-xgboost
(1.7.4): /usr/bin/python3 make_crosscheck.py"""
import json, os
import numpy as np
import sklearn, xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

here = os.path.dirname(os.path.abspath(__file__))
sets = json.load(open(os.path.join(here, "crosscheck_sets.json")))["sets"]
out = {"versions": {"sklearn": sklearn.__version__, "xgboost": xgb.__version__}, "results": []}
for s in sets:
    s = s["set"]
    d = s["Dims"]
    X = np.array(s["TrainX"]).reshape(-1, d)
    y = np.array(s["TrainY"])
    T = np.array(s["TestX"]).reshape(-1, d)
    lr = LogisticRegression(tol=1e-10, max_iter=10000).fit(X, y)  # the default objective, solved tightly
    svc = SVC().fit(X, y)
    bst = xgb.train({"objective": "binary:logistic", "nthread": 1}, xgb.DMatrix(X, label=y), 10)
    out["results"].append({
        "lr_prob": lr.predict_proba(T)[:, 1].tolist(),
        "svc_decision": svc.decision_function(T).tolist(),
        "svc_predict": svc.predict(T).tolist(),
        "xgb_prob": bst.predict(xgb.DMatrix(T)).astype(float).tolist(),
    })
json.dump(out, open(os.path.join(here, "crosscheck_expected.json"), "w"))
print(len(sets), "sets", out["versions"])
