#!/usr/bin/env python3
"""The PyTorch side of the `ncf-paired` suite: trains the peer's MF (../shared/peers/torch_recsys.py) on a
leave-one-out split and writes everything random it used, so @ncf can train on exactly the same inputs:

  <out>/P.f32, <out>/Q.f32           initial user and item embeddings (float32, row-major)
  <out>/U<e>.i32 I<e>.i32 Y<e>.f32   epoch e's training examples in the order they were batched

One JSON line per epoch on stdout: {"epoch", "loss" (mean batch loss), "hr", "ndcg"} (sampled, K = 10).
The epoch's examples, negatives and order are drawn with the peer's own functions and generator, in the
peer's order of calls; the training loop is the peer's (BCE with logits on each batch, Adam).

  python3 paired-mf.py --peers ../shared/peers --data ../shared/data/ml-100k-loo/ml-100k --out DIR \
      [--seed 42] [--epochs 20] [--factors 8] [--lr 0.001] [--batch 256] [--negatives 4]
"""
import argparse, json, os, sys

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--peers', required=True); p.add_argument('--data', required=True); p.add_argument('--out', required=True)
p.add_argument('--seed', type=int, default=42); p.add_argument('--epochs', type=int, default=20)
p.add_argument('--factors', type=int, default=8); p.add_argument('--lr', type=float, default=0.001)
p.add_argument('--batch', type=int, default=256); p.add_argument('--negatives', type=int, default=4)
a = p.parse_args()
sys.path.insert(0, a.peers)
import torch
import torch.nn.functional as F
import torch_recsys as peer

torch.set_num_threads(1)
torch.manual_seed(a.seed)
negs = peer.read_negatives(a.data + '.test.negative')
tu, ti, _ = peer.read_pairs(a.data + '.train.rating')
test = peer.read_pairs(a.data + '.test.rating')
nu = max(tu + test[0]) + 1
ni = max(ti + test[1] + [j for v in negs.values() for j in v]) + 1
seen = [set() for _ in range(nu)]
for u, i in zip(tu, ti): seen[u].add(i)
seen_codes = torch.unique(torch.tensor(tu) * ni + torch.tensor(ti))
gen = torch.Generator().manual_seed(a.seed)
cfg = argparse.Namespace(model='mf', factors=a.factors, init_std=0.01, k=10, protocol='sampled')
m = peer.build(cfg, nu, ni, tu, ti)
os.makedirs(a.out, exist_ok=True)
m.P.weight.detach().numpy().astype('float32').tofile(os.path.join(a.out, 'P.f32'))
m.Q.weight.detach().numpy().astype('float32').tofile(os.path.join(a.out, 'Q.f32'))
opt = torch.optim.Adam(m.parameters(), lr=a.lr)
k = a.negatives
for e in range(1, a.epochs + 1):
    U = torch.tensor(tu).repeat_interleave(k + 1)
    I = torch.tensor(ti).repeat_interleave(k + 1)
    Y = torch.zeros(len(U)); Y[::k + 1] = 1.0
    neg = torch.ones(len(U), dtype=torch.bool); neg[::k + 1] = False
    I[neg] = peer.sample_negatives(U[neg], ni, seen_codes, gen)
    perm = torch.randperm(len(U))
    U, I, Y = U[perm], I[perm], Y[perm]
    U.numpy().astype('int32').tofile(os.path.join(a.out, f'U{e}.i32'))
    I.numpy().astype('int32').tofile(os.path.join(a.out, f'I{e}.i32'))
    Y.numpy().astype('float32').tofile(os.path.join(a.out, f'Y{e}.f32'))
    total, count = 0.0, 0
    for b in range(0, len(U), a.batch):
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(m(U[b:b + a.batch], I[b:b + a.batch]), Y[b:b + a.batch])
        loss.backward(); opt.step(); total += loss.item(); count += 1
    r = peer.evaluate(m, cfg, nu, ni, test, negs, seen)
    print(json.dumps({'epoch': e, 'loss': total / count, 'hr': r['hr@10'], 'ndcg': r['ndcg@10']}), flush=True)
