"""How a screenshot looks to a red–green colour-blind viewer (deuteranopia or protanopia), to check that the
dashboard's colours stay apart: `python scripts/colour_blind.py shot.png [--kind protan] [--out sim.png]`.

The simulation is Machado, Oliveira and Fernandes (2009), severity 1.0, applied in linear RGB.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

MATRICES = {
    "deutan": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protan": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
}


def to_linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0, 1)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(image: Image.Image, kind: str = "deutan") -> Image.Image:
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64) / 255
    seen = to_srgb(to_linear(rgb) @ MATRICES[kind].T)
    return Image.fromarray((seen * 255).round().astype(np.uint8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("image", type=Path)
    parser.add_argument("--kind", choices=sorted(MATRICES), default="deutan")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or args.image.with_name(f"{args.image.stem}_{args.kind}.png")
    simulate(Image.open(args.image), args.kind).save(out)
    print(out)


if __name__ == "__main__":
    main()
