"""The reference model of `make telco`, on many splits: how much of a 20-split mean is the splits.

The target of `make telco` is a mean test ROC-AUC over 20 stratified 80/20 splits above 0.852, what
a plain L2 logistic regression measured on scikit-learn's splits of seeds 0-19. This fits that
logistic regression, to convergence (scikit-learn, C 1, every column standardized, the whole 80%),
on the project's encoding of the file and on two families of splits: the project's
(`stratifiedSplit` of src/training/telco.ts, seeds 0..N-1) and scikit-learn's
(`train_test_split(stratify=y, random_state=seed)`), and prints the mean per block of 20 seeds.
Then what other models and encodings gain over it on our seeds 0-19 (and paired over 100 seeds for
the interactions).

    make telco-reference          # or: /usr/bin/python3 bench/telco-reference.py --splits 200

Needs Debian's python3-sklearn (`make telco-reference` installs it) and a built dist/.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from scipy.stats import rankdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import PolynomialFeatures, SplineTransformer, StandardScaler

ROOT = Path(__file__).resolve().parent.parent
TEST = 2  # src/training/dataset.ts

# The encoding and the splits come from the project's own code, so both sides see the same columns.
EXPORT = """
const { readFileSync } = await import('node:fs');
const { parseTelco, stratifiedSplit } = await import('./dist/training/telco.js');
const [input, n] = process.argv.slice(1);
const data = parseTelco(readFileSync(input, 'utf8'));
const splits = Array.from({ length: Number(n) }, (_, s) => Array.from(stratifiedSplit(data.y, s, 0.2, 0.1)));
process.stdout.write(JSON.stringify({ names: data.featureNames, x: Array.from(data.x), y: Array.from(data.y), splits }));
"""


def predict(model, x, y, train, test, scale=True):
    """Test-row probabilities of `model` fitted on the train rows (standardized on them)."""
    scaler = StandardScaler().fit(x[train]) if scale else None
    prep = scaler.transform if scale else (lambda a: a)
    return model().fit(prep(x[train]), y[train]).predict_proba(prep(x[test]))[:, 1]


def reference():
    """The reference: L2 logistic regression, C 1, to convergence."""
    return LogisticRegression(C=1.0, max_iter=5000)


def test_auc(x, y, train, test):
    return roc_auc_score(y[test], predict(reference, x, y, train, test))


def engineered(x, names):
    """Extra columns of the encoding: tenure bins, add-on count, charge drift; then interactions."""
    col = {n: x[:, i] for i, n in enumerate(names)}
    tenure, log_tenure = col["tenure"], col["log_tenure"]
    bins = [((tenure >= lo) & (tenure <= hi)).astype(float) for lo, hi in [(0, 1), (2, 6), (7, 12), (13, 24), (25, 48), (49, 72)]]
    addons = sum(col[f"{s}=Yes"] for s in ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies"])
    drift = col["TotalCharges"] / np.maximum(tenure, 1) - col["MonthlyCharges"]
    basic = np.column_stack([x, *bins, addons, drift])
    fiber = col["InternetService=Fiber optic"]
    interactions = np.column_stack(
        [
            basic,
            *[col[f"Contract={c}"] * log_tenure for c in ["Month-to-month", "One year", "Two year"]],
            fiber * col["MonthlyCharges"],
            fiber * log_tenure,
            col["PaymentMethod=Electronic check"] * log_tenure,
        ]
    )
    return basic, interactions


def scores(model, x, y, splits, scale=True):
    return [predict(model, x, y, split != TEST, split == TEST, scale) for split in splits]


def variants(x, y, names, splits, ours):
    """Mean test ROC-AUC on our seeds 0-19 of other encodings and models; `ours`: the reference's per seed."""
    basic, interactions = engineered(x, names)
    first = [np.array(s) for s in splits[:20]]
    lr = lambda c=1.0: (lambda: LogisticRegression(C=c, max_iter=5000))
    auc = lambda preds: np.mean([roc_auc_score(y[s == TEST], p) for s, p in zip(first, preds)])
    splines = np.column_stack(
        [interactions, SplineTransformer(n_knots=6, degree=3).fit_transform(np.column_stack([x[:, names.index(n)] for n in ["tenure", "MonthlyCharges"]] + [np.log1p(x[:, names.index("TotalCharges")])]))]
    )
    pairs = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(StandardScaler().fit_transform(x))
    gbm = lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3, l2_regularization=1.0, random_state=0)
    lr_inter = scores(lr(), interactions, y, first)
    gbm_preds = scores(gbm, x, y, first, scale=False)
    rows = [
        ("the logistic regression (C 1)", np.mean(ours[:20])),
        ("+ tenure bins, add-on count, charge drift", auc(scores(lr(), basic, y, first))),
        ("+ interactions (log tenure x contract, fiber, e-check; fiber x monthly charge)", auc(lr_inter)),
        ("+ cubic splines of tenure and charges (C 0.3)", auc(scores(lr(0.3), splines, y, first))),
        ("all pairwise products (C 0.01)", auc(scores(lr(0.01), pairs, y, first))),
        ("gradient boosting (histogram GBM, depth 3)", auc(gbm_preds)),
        ("its ranks averaged with the interactions' logistic regression", auc([rankdata(a) + rankdata(b) for a, b in zip(gbm_preds, lr_inter)])),
    ]
    print("\nother encodings and models, mean test ROC-AUC on our seeds 0-19:")
    print("| model | ROC-AUC |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value:.4f} |")
    hundred = [np.array(s) for s in splits[:100]]
    gain = [
        roc_auc_score(y[s == TEST], a) - b
        for s, a, b in zip(hundred, scores(lr(), interactions, y, hundred), ours)
    ]
    print(f"interactions' paired gain over the logistic regression on our seeds 0-{len(hundred) - 1}: {np.mean(gain):+.4f} (standard error {np.std(gain) / np.sqrt(len(gain)):.4f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", default=str(ROOT.parent / "shared/datasets/telco-customer-churn.csv"))
    parser.add_argument("--splits", type=int, default=200)
    args = parser.parse_args()
    exported = json.loads(
        subprocess.run(
            ["node", "--input-type=module", "-e", EXPORT, args.input, str(args.splits)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )
    names = exported["names"]
    x = np.array(exported["x"], dtype=float).reshape(-1, len(names))
    y = np.array(exported["y"], dtype=int)
    rows = np.arange(len(y))
    ours, theirs = [], []
    for seed, split in enumerate(exported["splits"]):
        split = np.array(split)
        # The project trains on train + validation minus the early-stopping rows; the reference
        # fits on everything outside the test rows.
        ours.append(test_auc(x, y, split != TEST, split == TEST))
        train, test = train_test_split(rows, test_size=0.2, stratify=y, random_state=seed)
        theirs.append(test_auc(x, y, train, test))
        print(f"seed {seed}: ours {ours[-1]:.4f}, scikit-learn's {theirs[-1]:.4f}", file=sys.stderr)
    ours, theirs = np.array(ours), np.array(theirs)
    print(f"converged L2 logistic regression, mean test ROC-AUC per block of 20 seeds ({len(y)} customers):")
    print("| seeds | the project's splits | scikit-learn's splits |\n|---|---|---|")
    for start in range(0, len(ours), 20):
        block = slice(start, start + 20)
        print(f"| {start}-{min(start + 20, len(ours)) - 1} | {ours[block].mean():.4f} | {theirs[block].mean():.4f} |")
    print(f"| all {len(ours)} | {ours.mean():.4f} (sd {ours.std():.4f}) | {theirs.mean():.4f} (sd {theirs.std():.4f}) |")
    variants(x, y, names, exported["splits"], ours)


if __name__ == "__main__":
    main()
