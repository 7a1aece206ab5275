"""Train the skill-query adapter of the matching engine (reproducible on CPU in about 2 minutes).

The adapter is one 384 x 384 matrix ``W`` applied to all-MiniLM-L6-v2 embeddings of job-advert
sentences before they are compared with ESCO skill labels. It is trained with a softmax
(contrastive) loss over *all* ESCO skills' preferred-label embeddings on the SkillSkape **train**
split only (dev is for tuning, test is reported once), and regularised towards the identity so it
stays a small correction of the pretrained model rather than a lookup of the training skills.

Usage::

    python scripts/train_matching_adapter.py \
        --esco ../shared/data/esco-v1.2.0-en \
        --train ../shared/data/benchmarks/skillskape/train.csv \
        --output src/skillpass/matching/data/skill_query_adapter.npy

Needs the ``ml`` extra (ONNX Runtime, the MiniLM wheels, and torch for the optimiser).
Deterministic (fixed seed); the output is float16, 288 KiB.
"""

from __future__ import annotations

import argparse
import ast
import csv
import time
from pathlib import Path

import numpy as np


def train_adapter(
    sentence_vectors: np.ndarray,
    targets: np.ndarray,
    label_vectors: np.ndarray,
    *,
    epochs: int = 15,
    regularisation: float = 1.0,
    temperature: float = 0.05,
) -> np.ndarray:
    """Fit the adapter matrix (deterministic: seed 0).

    Args:
        sentence_vectors: One MiniLM vector per (sentence, gold skill) pair.
        targets: The gold skill of each pair (row of ``label_vectors``).
        label_vectors: MiniLM vectors of every skill's preferred label.
        epochs: Passes over the pairs.
        regularisation: Weight of the squared distance to the identity.
        temperature: Softmax temperature.

    Returns:
        The 384 x 384 float32 matrix.
    """
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(2)
    x = torch.tensor(sentence_vectors)
    y = torch.tensor(targets)
    labels = torch.tensor(label_vectors)
    identity = torch.eye(x.shape[1])
    weight = torch.nn.Parameter(identity.clone())
    optimiser = torch.optim.Adam([weight], lr=1e-3)
    for epoch in range(epochs):
        order = torch.randperm(len(x))
        total = 0.0
        for start in range(0, len(x), 256):
            batch = order[start : start + 256]
            queries = torch.nn.functional.normalize(x[batch] @ weight, dim=1)
            loss = (
                torch.nn.functional.cross_entropy(queries @ labels.T / temperature, y[batch])
                + regularisation * ((weight - identity) ** 2).sum()
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total:.2f}")
    result: np.ndarray = weight.detach().numpy().astype(np.float32)
    return result


def main() -> None:
    """Train and write the adapter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, required=True, help="ESCO v1.2 English CSV folder")
    parser.add_argument("--train", type=Path, required=True, help="SkillSkape train.csv")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--regularisation", type=float, default=1.0)
    parser.add_argument("--temperature", type=float, default=0.05)
    args = parser.parse_args()

    from skillpass.matching.semantic import MiniLMEncoder

    started = time.time()
    with (args.esco / "skills_en.csv").open(encoding="utf-8") as handle:
        skills = [(r["conceptUri"], r["preferredLabel"]) for r in csv.DictReader(handle)]
    by_label = {label: i for i, (_, label) in enumerate(skills)}
    sentences: list[str] = []
    targets: list[int] = []
    with args.train.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for label in ast.literal_eval(row["skills"]):
                if label in by_label:
                    sentences.append(row["sentence"])
                    targets.append(by_label[label])
    encoder = MiniLMEncoder()
    unique = sorted(set(sentences))
    position = {s: i for i, s in enumerate(unique)}
    sentence_vectors = encoder.encode(unique)
    label_vectors = encoder.encode([label for _, label in skills])
    print(f"encoded {len(unique)} sentences, {len(skills)} labels in {time.time() - started:.0f}s")

    weight = train_adapter(
        sentence_vectors[[position[s] for s in sentences]],
        np.array(targets),
        label_vectors,
        epochs=args.epochs,
        regularisation=args.regularisation,
        temperature=args.temperature,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.save(args.output, weight.astype(np.float16))
    print(f"wrote {args.output} in {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
