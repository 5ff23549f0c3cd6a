package dev.adjoint.processor.optimise;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.transform.Scratch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scalar accumulators: an element of an array that a counted loop adds into at the same index in every trip
 * ({@code centeredBar[col] += l[c][at] * qxBar[row]} in a loop over {@code row}) is kept in a local for the loop and
 * stored back once after it:
 *
 * <pre>{@code
 * if (d - 1 >= col + 1) {
 *     double centeredBarCol = centeredBar[col];
 *     for (int row = d - 1; row >= col + 1; row--) { ... centeredBarCol += l[c][at] * qxBar[row]; ... }
 *     centeredBar[col] = centeredBarCol;
 * }
 * }</pre>
 *
 * The JIT cannot do this itself when the loop also stores into another array of doubles ({@code lBar[c][at]}): it
 * cannot prove the two never alias, so every trip waits on a store and a reload of the element. Here it is proved:
 *
 * <ul>
 *   <li>the array is one no other variable can hold: a {@code double[]} made in the derivative ({@code new
 *       double[n]}, or an adjoint array in another's shape) and declared once, or a parameter's adjoint array that
 *       the result owns (not a pullback's, which its caller passes and may pass twice); every use of the variable is
 *       an element or the length, so its reference is never copied, saved, passed or compared;</li>
 *   <li>the index is an {@code int} expression of variables and constants that the loop assigns nowhere, so it is
 *       the same element in every trip, and every element of the array that the loop touches is that one;</li>
 *   <li>some statement directly in the loop's body touches it, so that whenever the loop runs a trip the element
 *       exists and reading it before the loop throws nothing the loop would not; the guard, the loop's own test
 *       before its first trip, keeps an empty loop from reading it at all;</li>
 *   <li>the loop is a counted {@code for}, which lowering leaves without jumps, so the store after it always runs
 *       when the loop ends.</li>
 * </ul>
 *
 * Values are bit for bit the same: the same additions in the same order, on a local instead of memory.
 */
public final class ScalarAccumulators {
    private final SymbolTable symbols;
    private final Set<Sym> unaliased;

    private ScalarAccumulators(SymbolTable symbols, Set<Sym> unaliased) {
        this.symbols = symbols;
        this.unaliased = unaliased;
    }

    /**
     * @param blocks  the derivative's blocks, all of one method (a gradient's forward and reverse sweeps)
     * @param given   array variables the derivative is given that no other variable holds and that are not declared
     *                in the blocks (the adjoint arrays a gradient's result owns)
     * @param symbols the derivative's symbols, for the locals' names
     * @return the blocks, in order, each with its loops' scalar accumulators in locals
     */
    public static List<Core.Block> apply(List<Core.Block> blocks, Set<Sym> given, SymbolTable symbols) {
        Set<Sym> unaliased = unaliased(blocks, given);
        if (unaliased.isEmpty()) {
            return blocks;
        }
        ScalarAccumulators pass = new ScalarAccumulators(symbols, unaliased);
        List<Core.Block> out = new ArrayList<>();
        for (Core.Block b : blocks) {
            out.add(pass.block(b));
        }
        return out;
    }

    /**
     * @return the {@code double[]} variables that are made fresh (or given) and used only through their elements
     *     and length, so that no two of them, and no other variable, can be the same array
     */
    static Set<Sym> unaliased(List<Core.Block> blocks, Set<Sym> given) {
        Map<Sym, Integer> declared = new HashMap<>();
        Set<Sym> fresh = new HashSet<>(given);
        Set<Sym> bare = new HashSet<>();
        for (Core.Block b : blocks) {
            DerivativeWalk.forEach(b, c -> {
                if (c instanceof Core.Declare d && d.sym().type() == Ty.DOUBLE_ARRAY) {
                    declared.merge(d.sym(), 1, Integer::sum);
                    if (d.init() instanceof Expr.NewArray n && n.dims().size() == 1 || Scratch.isZerosLike(d.init())) {
                        fresh.add(d.sym());
                    }
                }
                for (Expr e : DerivativeWalk.exprs(c)) {
                    bareUses(e, bare);
                }
            });
        }
        Set<Sym> out = new HashSet<>();
        for (Sym s : fresh) {
            int times = declared.getOrDefault(s, 0);
            if (s.type() == Ty.DOUBLE_ARRAY && !bare.contains(s) && (given.contains(s) ? times == 0 : times == 1)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Adds the variables {@code e} uses other than through an element or the length. */
    private static void bareUses(Expr e, Set<Sym> into) {
        if (e instanceof Expr.Var v) {
            into.add(v.sym());
            return;
        }
        for (Expr child : IrWalker.children(e)) {
            if ((e instanceof Expr.ArrayLoad al && child == al.array() || e instanceof Expr.Length)
                    && child instanceof Expr.Var) {
                continue;
            }
            bareUses(child, into);
        }
    }

    private Core.Block block(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            Core mapped = c instanceof Core.For f ? loop(f) : DerivativeWalk.map(c, e -> e, this::block);
            out.add(mapped);
        }
        return new Core.Block(out, b.pos());
    }

    /** One element kept in a local for a loop. */
    private record Kept(Sym array, Expr index, Sym local) {}

    private Core loop(Core.For f) {
        Set<Sym> written = new HashSet<>();
        DerivativeWalk.assigned(f, written);
        // the candidate elements: an unaliased array the loop does not declare, at an invariant index
        Map<Sym, Expr> at = new LinkedHashMap<>();
        Set<Sym> rejected = new HashSet<>();
        Set<Sym> touched = new HashSet<>();
        DerivativeWalk.forEach(f.body(), c -> {
            for (Expr e : DerivativeWalk.exprs(c)) {
                IrWalker.visit(e, x -> {
                    if (x instanceof Expr.ArrayLoad al && al.array() instanceof Expr.Var v
                            && unaliased.contains(v.sym())) {
                        Sym a = v.sym();
                        Expr seen = at.get(a);
                        if (written.contains(a) || !invariant(al.index(), written)
                                || seen != null && !IrWalker.same(seen, al.index())) {
                            rejected.add(a);
                        } else {
                            at.put(a, al.index());
                        }
                    }
                });
            }
            Expr target = c instanceof Core.Accumulate a ? a.adjoint() : c instanceof Core.Zero z ? z.adjoint()
                    : c instanceof Core.Assign a ? a.target() : c instanceof Core.Restore r ? r.target() : null;
            if (target instanceof Expr.ArrayLoad al && al.array() instanceof Expr.Var v) {
                touched.add(v.sym());
            }
        });
        // some statement directly in the body reads or writes it, so a trip that runs touches it
        Set<Sym> direct = new HashSet<>();
        for (Core c : f.body().stmts()) {
            for (Expr e : DerivativeWalk.exprs(c)) {
                IrWalker.visit(e, x -> {
                    if (x instanceof Expr.ArrayLoad al && al.array() instanceof Expr.Var v) {
                        direct.add(v.sym());
                    }
                });
            }
        }
        List<Kept> kept = new ArrayList<>();
        if (CoreWalk.duplicable(f.from()) && CoreWalk.duplicable(f.bound())) {
            for (Map.Entry<Sym, Expr> e : at.entrySet()) {
                Sym a = e.getKey();
                if (!rejected.contains(a) && touched.contains(a) && direct.contains(a)) {
                    kept.add(new Kept(a, e.getValue(), symbols.fresh(localName(a, e.getValue()), Ty.DOUBLE)));
                }
            }
        }
        if (kept.isEmpty()) {
            return new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(), block(f.body()), f.pos());
        }
        // the kept elements first, so that the loops inside see only the locals
        Core.Block body = block(replace(f.body(), kept));
        List<Core> guarded = new ArrayList<>();
        for (Kept k : kept) {
            guarded.add(new Core.Note(new Core.Says.ScalarAccumulator(element(k), k.local()), Pos.NONE));
            guarded.add(new Core.Declare(k.local(), element(k), Pos.NONE));
        }
        guarded.add(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(), body, f.pos()));
        for (Kept k : kept) {
            guarded.add(new Core.Assign(element(k), new Expr.Var(k.local(), Pos.NONE), Pos.NONE));
        }
        Expr runs = new Expr.Binary(f.cmp(), f.from(), f.bound(), Ty.BOOLEAN, Pos.NONE);
        return new Core.If(runs, new Core.Block(guarded, Pos.NONE), new Core.Block(List.of(), Pos.NONE), f.pos());
    }

    private static Expr element(Kept k) {
        return new Expr.ArrayLoad(new Expr.Var(k.array(), Pos.NONE), k.index(), Pos.NONE);
    }

    /** @return {@code b} with every use of a kept element, as a target or a value, the local */
    private static Core.Block replace(Core.Block b, List<Kept> kept) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            out.add(DerivativeWalk.map(c, e -> Rewrite.substitute(e, x -> {
                if (x instanceof Expr.ArrayLoad al && al.array() instanceof Expr.Var v) {
                    for (Kept k : kept) {
                        if (k.array() == v.sym()) {
                            return new Expr.Var(k.local(), Pos.NONE);
                        }
                    }
                }
                return null;
            }), inner -> replace(inner, kept)));
        }
        return new Core.Block(out, b.pos());
    }

    /** {@code centeredBar[col]} is kept in {@code centeredBarCol}; an index of another shape in {@code ...Elem}. */
    private String localName(Sym array, Expr index) {
        if (index instanceof Expr.Var v) {
            String n = symbols.name(v.sym());
            return symbols.name(array) + Character.toUpperCase(n.charAt(0)) + n.substring(1);
        }
        return symbols.name(array) + "Elem";
    }

    /** @return whether {@code index} is an int expression of variables the loop does not assign, and constants */
    private static boolean invariant(Expr index, Set<Sym> written) {
        boolean[] ok = {index.type() == Ty.INT};
        IrWalker.visit(index, x -> {
            if (x instanceof Expr.Var v) {
                ok[0] &= !written.contains(v.sym()) && v.sym().type() == Ty.INT;
            } else if (x instanceof Expr.Binary bin) {
                ok[0] &= bin.op() == Expr.BinOp.ADD || bin.op() == Expr.BinOp.SUB || bin.op() == Expr.BinOp.MUL;
            } else if (!(x instanceof Expr.Lit)) {
                ok[0] = false;
            }
        });
        return ok[0];
    }
}
