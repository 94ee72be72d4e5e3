#!/usr/bin/env python3
"""Reference PyTorch trainer for the windows `whereto export-windows` writes: whereto's way past one machine.

It trains the architecture whereto trains (torch.nn.LSTM / GRU / RNN with batch_first, then a Linear
head on the last step) on the exported shards with DistributedDataParallel and a DistributedSampler,
starting from the manifest's initial weights (the ones `whereto train` starts from with the same seed),
with the manifest's loss, batch size, Adam learning rate and schedule, and gradient clipping. Like
`whereto train` it keeps the epoch with the lowest validation 1-step error in metres and stops early
after `patience` epochs without a better one. Rank 0 writes a whereto-torch document (the state_dict,
the encoder and the training record) that `whereto import --state-dict` turns into a model file.

    OMP_NUM_THREADS=1 torchrun --nproc_per_node=2 scale/train_ddp.py WINDOWS_DIR --out trained.json

On CPUs the processes talk through gloo; where CUDA is available each process takes one GPU and nccl,
with the same command. The global batch is the manifest's batch, split evenly across the processes.
Needs PyTorch and numpy (which PyTorch depends on), never anything from whereto.
"""
import argparse
import datetime
import json
import math
import os

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

CELLS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


class Net(torch.nn.Module):
    """The recurrent stack (`rnn`) and the head (`head`): the names of whereto's state_dict."""

    def __init__(self, arch):
        super().__init__()
        cell = CELLS[arch["cell"]]
        self.rnn = cell(arch["inputSize"], arch["hiddenSize"], arch["numLayers"], batch_first=True)
        self.head = torch.nn.Linear(arch["hiddenSize"], 5 if arch["head"] == "gaussian" else 2)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def euclidean(pred, y, eps=1e-6):
    """Mean Euclidean distance per (x, y) pair, sqrt(|e|^2 + eps^2) - eps (src/model/losses.ts)."""
    return ((pred - y).pow(2).sum(dim=1) + eps * eps).sqrt().mean() - eps


def bivariate_nll(pred, y):
    """Mean NLL of y under N(mu, diag(sigma) R diag(sigma)), sigma = exp(s), rho = tanh(r) (../shared/fixtures/torch/README.md)."""
    mx, my, sx, sy, r = pred.unbind(1)
    rho = torch.tanh(r)
    dx = (y[:, 0] - mx) / torch.exp(sx)
    dy = (y[:, 1] - my) / torch.exp(sy)
    q = 1 - rho * rho
    z = dx * dx + dy * dy - 2 * rho * dx * dy
    return (math.log(2 * math.pi) + sx + sy + 0.5 * torch.log(q) + z / (2 * q)).mean()


def lr_at(opts, step, total_steps):
    """whereto's schedule (src/train/lrSchedule.ts): constant, or cosine decay to lr/20 over all steps."""
    lr = opts["lr"]
    if opts["lrSchedule"] != "cosine":
        return lr
    low = lr / 20
    progress = min(1.0, step / max(1, total_steps))
    return low + 0.5 * (lr - low) * (1 + math.cos(math.pi * progress))


def load_split(folder, shards):
    """x (n, W, X), y (n, 2), scale (n) of one split, every shard concatenated in order."""
    return [
        torch.from_numpy(np.concatenate([np.load(os.path.join(folder, s[key])) for s in shards]))
        for key in ("x", "y", "scale")
    ]


def one_step_error_m(net, x, y, scale, target_std):
    """Mean 1-step error in metres: |mu - y| * targetStd * scale (the window frame keeps lengths)."""
    with torch.no_grad():
        mu = net(x)[:, :2]
        return float(((mu - y).norm(dim=1) * scale * target_std).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("windows", help="folder written by `whereto export-windows` (manifest.json)")
    parser.add_argument("--out", required=True, help="whereto-torch document to write (rank 0)")
    parser.add_argument("--epochs", type=int, help="override the manifest's epochs")
    args = parser.parse_args()

    with open(os.path.join(args.windows, "manifest.json")) as f:
        manifest = json.load(f)
    if manifest.get("format") != "whereto-windows" or manifest.get("version") != 1:
        raise SystemExit(f"{args.windows}/manifest.json is not a whereto-windows manifest of version 1")
    opts = manifest["options"]
    if opts.get("tbptt", 0):
        raise SystemExit("this reference trainer runs full BPTT; export the windows with --tbptt 0")
    epochs = args.epochs or opts["epochs"]

    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(opts["seed"])

    x, y, _ = load_split(args.windows, manifest["shards"]["train"])
    vx, vy, vscale = [t.to(device) for t in load_split(args.windows, manifest["shards"]["val"])]
    data = TensorDataset(x, y)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=opts["seed"])
    per_rank = max(1, opts["batch"] // world)
    loader = DataLoader(data, batch_size=per_rank, sampler=sampler)

    net = Net(manifest["architecture"])
    net.load_state_dict(
        {k: torch.tensor(v["data"], dtype=torch.float32).reshape(v["shape"]) for k, v in manifest["initialStateDict"].items()},
        strict=True,
    )
    net.to(device)
    model = DistributedDataParallel(net, device_ids=[device.index] if cuda else None)
    optimizer = torch.optim.Adam(model.parameters(), lr=opts["lr"], betas=(0.9, 0.999), eps=1e-8)
    gaussian = manifest["loss"] == "bivariate_nll_last"
    loss_fn = bivariate_nll if gaussian else euclidean if manifest["loss"] == "euclidean_last" else torch.nn.functional.mse_loss
    total_steps = epochs * len(loader)
    target_std = manifest["encoder"]["targetStd"]

    record, best, best_error, since_best, step, stopped = [], None, math.inf, 0, 0, "completed"
    for epoch in range(1, epochs + 1):
        sampler.set_epoch(epoch)
        model.train()
        loss_sum = torch.zeros(1, device=device)
        for xb, yb in loader:
            for group in optimizer.param_groups:
                group["lr"] = lr_at(opts, step, total_steps)
            optimizer.zero_grad()
            loss = loss_fn(model(xb.to(device)), yb.to(device))
            loss.backward()  # DDP averages the gradients of all processes here
            if opts["clip"] > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), opts["clip"])
            optimizer.step()
            loss_sum += loss.detach()
            step += 1
        dist.all_reduce(loss_sum)
        model.eval()
        # Every process holds the same weights, so each computes the same score and takes the same decision.
        error = one_step_error_m(net, vx, vy, vscale, target_std)
        record.append({"epoch": epoch, "loss": float(loss_sum) / (world * len(loader)), "valErrorM": error})
        if rank == 0:
            print(f"epoch {epoch}/{epochs}: loss {record[-1]['loss']:.4f}, validation 1-step error {error:.1f} m", flush=True)
        if error < best_error:
            best_error, since_best = error, 0
            best = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
        else:
            since_best += 1
        if opts["patience"] > 0 and since_best >= opts["patience"]:
            stopped = "early-stopping"
            break

    if rank == 0:
        write_document(args.out, manifest, epochs, net, best, record, best_error, stopped, world, device)
    dist.destroy_process_group()


def write_document(path, manifest, epochs, net, best, record, best_error, stopped, world, device):
    """The whereto-torch document of the best epoch's weights, written atomically (temporary file, then rename)."""
    best_epoch = min(record, key=lambda e: e["valErrorM"])["epoch"]
    doc = {
        "format": "whereto-torch",
        "version": 1,
        "architecture": manifest["architecture"],
        "modules": {"rnn": str(net.rnn), "head": str(net.head)},
        "encoder": manifest["encoder"],
        "training": {
            "trainer": f"scale/train_ddp.py (torch {torch.__version__}, {world} processes, {device.type})",
            "fingerprint": manifest["fingerprint"],
            "seed": manifest["options"]["seed"],
            "options": {**manifest["options"], "epochs": epochs},
            "data": manifest["split"],
            "epochs": record,
            "bestEpoch": best_epoch,
            "stopped": stopped,
            "finalMetrics": {"valOneStepMeanErrorM": best_error},
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        },
        "state_dict": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in best.items()},
    }
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print(path, flush=True)


if __name__ == "__main__":
    main()
