"""PyTorch reference for `npm run bench`: the four Atelier presets trained on CPU with 2 threads.

Same batch size (64), optimizer (Adam 1e-3) and timing protocol as the TensorFlow.js side:
one warm-up pass, then the median of N timed passes of M images. Prints one JSON object.
Images come from ATELIER_DATA_DIR (official gzip IDX files) when present, else random uint8.
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch
from torch import nn


def conv_block(cin, cout):
    return [
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25),
    ]


def build(preset):
    # Softmax is folded into CrossEntropyLoss, as Keras folds it into its loss.
    if preset == 'dense':
        layers = [nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10)]
    elif preset == 'cnn-shallow':
        layers = [nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10)]
    elif preset == 'cnn-deep':
        layers = [nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(128 * 3 * 3, 128), nn.ReLU(), nn.Linear(128, 10)]
    elif preset == 'cnn-bn':
        layers = [*conv_block(1, 32), *conv_block(32, 64), nn.Flatten(), nn.Linear(64 * 7 * 7, 512),
                  nn.BatchNorm1d(512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10)]
    else:
        raise ValueError(preset)
    return nn.Sequential(*layers)


def load_images(data_dir):
    path = os.path.join(data_dir or '', 'train-images-idx3-ubyte.gz')
    lpath = os.path.join(data_dir or '', 'train-labels-idx1-ubyte.gz')
    if data_dir and os.path.exists(path) and os.path.exists(lpath):
        with gzip.open(path) as f:
            images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
        with gzip.open(lpath) as f:
            labels = np.frombuffer(f.read(), np.uint8, offset=8)
        return images, labels, 'real'
    rng = np.random.default_rng(42)
    return rng.integers(0, 256, (60000, 1, 28, 28), np.uint8), rng.integers(0, 10, 60000, np.uint8), 'random'


def bench(preset, images, labels, batch, pass_images, passes):
    torch.manual_seed(42)
    model = build(preset)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = np.random.default_rng(1).permutation(len(images))
    cursor = 0

    def one_pass():
        nonlocal cursor
        done = 0
        while done < pass_images:
            idx = order[cursor:cursor + batch]
            cursor = (cursor + batch) % (len(order) - batch)
            x = torch.from_numpy(images[idx].astype(np.float32) / 255.0)
            y = torch.from_numpy(labels[idx].astype(np.int64))
            opt.zero_grad()
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            loss.item()
            done += len(idx)
        return done

    one_pass()  # warm-up
    rates = []
    for _ in range(passes):
        t0 = time.perf_counter()
        n = one_pass()
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--presets', default='dense,cnn-shallow,cnn-deep,cnn-bn')
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--images', type=int, default=2048)
    ap.add_argument('--passes', type=int, default=3)
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    images, labels, source = load_images(os.environ.get('ATELIER_DATA_DIR', '/work/shared/data/fashion-mnist'))
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'data': source, 'presets': {}}
    for preset in args.presets.split(','):
        median, rates = bench(preset, images, labels, args.batch, args.images, args.passes)
        out['presets'][preset] = {'imagesPerSec': median, 'passes': rates}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
