"""PyTorch reference for `npm run bench`: the four Atelier presets and the example architectures
(examples/architectures/separable-cnn.json, small-resnet.json) trained on CPU with 2 threads.

Same batch size (64) and optimizer (Adam 1e-3) as the TensorFlow.js side. Two modes:
- one-shot (default): one warm-up pass, then the median of N timed passes of M images per preset;
  prints one JSON object.
- `--serve`: the engine side of bench/engine-protocol.ts, which `npm run bench` uses to interleave
  short rounds with TensorFlow.js. One JSON command per line on stdin, one JSON reply per line on
  stdout: `{"cmd": "start", "preset", "batch", "warmupImages", "warmupSeconds", "probeImages"}` builds the
  model and runs the untimed warm-up (at least that many images and seconds) (reply `ready`), `{"cmd": "round", "images": N}` times N images (reply
  `round`), `{"cmd": "quit"}` replies `finish` with the peak RSS and exits.
Images come from ATELIER_DATA_DIR (official gzip IDX files) when present, else random uint8.
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import sys
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


def separable(cin, cout):
    # Keras' SeparableConv2D: a depthwise kernel without bias, then a 1x1 pointwise one with bias.
    return [nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False), nn.Conv2d(cin, cout, 1), nn.ReLU()]


class Residual(nn.Module):
    """x + body(x), through a 1x1 projection (with bias, strided) when the body changes the shape."""

    def __init__(self, body, projection=None):
        super().__init__()
        self.body = nn.Sequential(*body)
        self.projection = projection

    def forward(self, x):
        return self.body(x) + (self.projection(x) if self.projection is not None else x)


def res_body(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout)]


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
    elif preset == 'separable-cnn':
        layers = [nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), *separable(32, 64), nn.MaxPool2d(2),
                  *separable(64, 128), nn.BatchNorm2d(128), nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
                  nn.Linear(128 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10)]
    elif preset == 'small-resnet':
        layers = [nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                  Residual(res_body(32, 32, 1)), nn.ReLU(),
                  Residual(res_body(32, 64, 2), nn.Conv2d(32, 64, 1, stride=2)), nn.ReLU(),
                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 10)]
    else:
        raise ValueError(preset)
    return nn.Sequential(*layers)


DEFAULT_DATA_DIR = '/work/shared/data/fashion-mnist'


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


class Trainer:
    """One preset's model and optimizer, training whole batches from a fixed shuffled order."""

    def __init__(self, preset, images, labels, batch):
        torch.manual_seed(42)
        self.model = build(preset)
        self.model.train()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss_fn = nn.CrossEntropyLoss()
        self.images, self.labels, self.batch = images, labels, batch
        self.order = np.random.default_rng(1).permutation(len(images))
        self.cursor = 0

    def run(self, count):
        """Trains at least `count` images (whole batches); returns how many it trained."""
        done = 0
        while done < count:
            idx = self.order[self.cursor:self.cursor + self.batch]
            self.cursor = (self.cursor + self.batch) % (len(self.order) - self.batch)
            x = torch.from_numpy(self.images[idx].astype(np.float32) / 255.0)
            y = torch.from_numpy(self.labels[idx].astype(np.int64))
            self.opt.zero_grad()
            loss = self.loss_fn(self.model(x), y)
            loss.backward()
            self.opt.step()
            loss.item()
            done += len(idx)
        return done

    def timed(self, count):
        """Trains `count` images (whole batches); returns (images trained, seconds)."""
        t0 = time.perf_counter()
        n = self.run(count)
        return n, time.perf_counter() - t0


def bench(preset, images, labels, batch, pass_images, passes):
    trainer = Trainer(preset, images, labels, batch)
    trainer.run(pass_images)  # warm-up
    rates = []
    for _ in range(passes):
        n, seconds = trainer.timed(pass_images)
        rates.append(n / seconds)
    return statistics.median(rates), rates


def reply(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def serve():
    """Answers one JSON command per line until `quit` or end of input (see the module docstring)."""
    trainer = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            cmd = json.loads(line)
            if cmd['cmd'] == 'start':
                images, labels, source = load_images(os.environ.get('ATELIER_DATA_DIR', DEFAULT_DATA_DIR))
                trainer = Trainer(cmd['preset'], images, labels, cmd['batch'])
                warmup_start = time.perf_counter()
                trainer.run(cmd['warmupImages'])
                while time.perf_counter() - warmup_start < cmd.get('warmupSeconds', 0):
                    trainer.run(cmd['batch'])
                probe = None
                if cmd.get('probeImages', 0) > 0:
                    n, seconds = trainer.timed(cmd['probeImages'])
                    probe = n / seconds
                reply({'kind': 'ready', 'backend': 'pytorch', 'threads': torch.get_num_threads(), 'data': source,
                       'probeImagesPerSec': probe, 'version': torch.__version__})
            elif cmd['cmd'] == 'round':
                if trainer is None:
                    raise RuntimeError('round before start')
                n, seconds = trainer.timed(cmd['images'])
                reply({'kind': 'round', 'images': n, 'seconds': seconds, 'imagesPerSec': n / seconds})
            elif cmd['cmd'] == 'quit':
                # ru_maxrss is in KiB on Linux.
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                reply({'kind': 'finish', 'peakRssMb': peak, 'numTensorsGrowth': None})
                return
            else:
                raise ValueError(f"unknown command {cmd['cmd']!r}")
        except Exception as err:  # the parent reads the reason instead of a dead pipe
            reply({'kind': 'error', 'message': f'{type(err).__name__}: {err}'})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--presets', default='dense,cnn-shallow,cnn-deep,cnn-bn')
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--images', type=int, default=2048)
    ap.add_argument('--passes', type=int, default=3)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--serve', action='store_true', help='answer JSON commands on stdin, one per line')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.serve:
        serve()
        return
    images, labels, source = load_images(os.environ.get('ATELIER_DATA_DIR', DEFAULT_DATA_DIR))
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'data': source, 'presets': {}}
    for preset in args.presets.split(','):
        median, rates = bench(preset, images, labels, args.batch, args.images, args.passes)
        out['presets'][preset] = {'imagesPerSec': median, 'passes': rates}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
