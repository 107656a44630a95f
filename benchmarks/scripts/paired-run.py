#!/usr/bin/env python3
"""The PyTorch side of the `ncf-paired` suite: trains the peer's MF, GMF, MLP or NeuMF
(../shared/peers/torch_recsys.py) on a leave-one-out split and writes everything random it used, so @ncf can
train on exactly the same inputs:

  <out>/init/<name>.f32              every initial parameter under @ncf's variable name ('/' written as '__'),
                                     float32, row-major, Linear weights transposed to @ncf's [in, out] kernels
  <out>/U<e>.i32 I<e>.i32 Y<e>.f32   epoch e's training examples in the order they were batched

One JSON line per epoch on stdout: {"epoch", "loss" (mean batch loss), "hr", "ndcg"} (sampled, K = 10).
The epoch's examples, negatives and order are drawn with the peer's own functions and generator, in the
peer's order of calls; the training loop is the peer's (BCE with logits on each batch, Adam).

  python3 paired-run.py --peers ../shared/peers --data ../shared/data/ml-100k-loo/ml-100k --out DIR \
      [--model mf] [--seed 42] [--epochs 20] [--factors 8] [--layers 64,32,16,8] [--lr 0.001] [--batch 256]
      [--negatives 4]
"""
import argparse, json, os, sys

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--peers', required=True); p.add_argument('--data', required=True); p.add_argument('--out', required=True)
p.add_argument('--seed', type=int, default=42); p.add_argument('--epochs', type=int, default=20)
p.add_argument('--model', choices=['mf', 'gmf', 'mlp', 'neumf'], default='mf')
p.add_argument('--layers', type=lambda v: [int(x) for x in v.split(',')], default=[64, 32, 16, 8])
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
cfg = argparse.Namespace(model=a.model, factors=a.factors, layers=a.layers, init_std=0.01, k=10, protocol='sampled')
m = peer.build(cfg, nu, ni, tu, ti)


def ncf_name(torch_name):
    """@ncf's variable name of a peer parameter, and whether it is a Linear weight (to transpose)."""
    fixed = {'P.weight': 'mf/user', 'Q.weight': 'mf/item', 'bu.weight': 'mf/user_bias', 'bi.weight': 'mf/item_bias',
             'b': 'mf/global_bias', 'Pg.weight': 'gmf/user', 'Qg.weight': 'gmf/item', 'Pm.weight': 'mlp/user',
             'Qm.weight': 'mlp/item', 'out.weight': 'out/kernel', 'out.bias': 'out/bias'}
    if torch_name in fixed: return fixed[torch_name], torch_name == 'out.weight'
    layer, kind = torch_name.split('.')[1:]  # tower.<2j>.weight|bias (ReLUs sit between the Linears)
    return f'mlp/{int(layer) // 2}/' + ('kernel' if kind == 'weight' else 'bias'), kind == 'weight'


os.makedirs(os.path.join(a.out, 'init'), exist_ok=True)
for name, param in m.named_parameters():
    ours, transpose = ncf_name(name)
    values = param.detach().t() if transpose else param.detach()
    values.contiguous().numpy().astype('float32').tofile(os.path.join(a.out, 'init', ours.replace('/', '__') + '.f32'))
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
