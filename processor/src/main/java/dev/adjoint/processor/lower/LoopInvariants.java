package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Origin;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.MathFunctions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loop-invariant hoisting, on the lowered body before anything is differentiated: an expensive {@code Math} call
 * ({@link MathFunctions#EXPENSIVE}) whose arguments a counted loop does not change ({@code Math.exp(-r * t)} in a
 * loop over {@code j}) is computed once, before the loop, into a local that the loop reads:
 *
 * <pre>{@code
 * if (0 < n) {
 *     double expOfR = Math.exp(-r * t); // loop-invariant: computed once, before the loop over j
 *     for (int j = 0; j < n; j++) { s = s + expOfR * x[j]; }
 * }
 * }</pre>
 *
 * Then the forward sweep calls it once, and so does the reverse sweep's rule: the loop adds the local's adjoint up
 * over the trips, and the chain rule through the call runs once after them ({@code rBar += -t * expOfR *
 * expOfRBar}) instead of once per trip. The value is the same bits (the same call on the same arguments); the
 * adjoint is the same sum, associated once instead of per trip.
 *
 * <p>A call is hoisted when:
 * <ul>
 *   <li>it is in a statement directly in the loop's body, outside any {@code ?:}, {@code &&} or {@code ||}, so every
 *       trip evaluates it: else a trip that skips it would still see its derivative through the local;</li>
 *   <li>its arguments read only constants and variables the loop assigns nowhere, through arithmetic (no integer
 *       division), casts and total {@code Math} functions; an element or a length too when the loop writes no
 *       element, calls no method and throws nothing, so that the element is the same in every trip and reading it
 *       early changes no outcome;</li>
 *   <li>the loop is a counted {@code for}; the local and the loop go under the loop's own test before its first trip
 *       (unless its bounds are constants with at least one trip), so an empty loop computes nothing, and no
 *       derivative of the call reaches its arguments, not even {@code 0 · ∞} where the function's derivative is
 *       infinite. The loop declares nothing the code after it sees, so the block changes no scope.</li>
 * </ul>
 */
public final class LoopInvariants {
    private final SymbolTable symbols;

    private LoopInvariants(SymbolTable symbols) {
        this.symbols = symbols;
    }

    /**
     * @param body    a lowered body
     * @param symbols its symbols, for the locals
     * @return the body with each loop's invariant expensive calls computed before it
     */
    public static Core.Block hoist(Core.Block body, SymbolTable symbols) {
        return new LoopInvariants(symbols).block(body);
    }

    private Core.Block block(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            Core mapped = CoreWalk.mapBlocks(c, this::block);
            if (mapped instanceof Core.For f) {
                hoistOutOf(f, out);
            } else {
                out.add(mapped);
            }
        }
        return new Core.Block(out, b.pos());
    }

    /** Adds {@code f} to {@code out}, with the declarations of its hoisted calls before it. */
    private void hoistOutOf(Core.For f, List<Core> out) {
        Set<Sym> assigned = new HashSet<>();
        CoreWalk.assignedVars(f, assigned);
        assigned.add(f.index());
        boolean[] throwsAny = {false};
        CoreWalk.forEach(f.body(), c -> throwsAny[0] |= c instanceof Core.Throw);
        boolean[] elementsFixed = {!throwsAny[0] && !CoreWalk.mayWriteElements(f.body())};
        List<Expr> found = new ArrayList<>();
        if (!alwaysRuns(f) && !(CoreWalk.duplicable(f.from()) && CoreWalk.duplicable(f.bound()))) {
            out.add(f);
            return; // the test before the first trip could not be evaluated once more
        }
        for (Core c : f.body().stmts()) {
            for (Expr e : CoreWalk.exprs(c)) {
                find(e, assigned, elementsFixed[0], found);
            }
        }
        if (found.isEmpty()) {
            out.add(f);
            return;
        }
        List<Expr> distinct = new ArrayList<>();
        for (Expr e : found) {
            if (distinct.stream().noneMatch(d -> IrWalker.same(d, e))) {
                distinct.add(e);
            }
        }
        List<Core> hoisted = new ArrayList<>();
        List<Sym> locals = new ArrayList<>();
        Origin why = new Origin("loop-invariant", "computed once, before the loop over " + symbols.name(f.index()));
        for (Expr e : distinct) {
            Sym local = symbols.fresh(localName((Expr.MathCall) e), e.type());
            locals.add(local);
            hoisted.add(new Core.Declare(local, e, why, e.pos()));
        }
        hoisted.add(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(), replace(f.body(), distinct, locals),
                f.pos()));
        if (alwaysRuns(f)) {
            out.addAll(hoisted);
        } else {
            // under the loop's own test: an empty loop computes nothing, and no derivative of it reaches the arguments
            Expr runs = new Expr.Binary(f.cmp(), f.from(), f.bound(), Ty.BOOLEAN, Pos.NONE);
            out.add(new Core.If(runs, new Core.Block(hoisted, f.pos()), new Core.Block(List.of(), f.pos()), f.pos()));
        }
    }

    /** Adds the largest hoistable calls in {@code e} that every evaluation of {@code e} evaluates. */
    private static void find(Expr e, Set<Sym> assigned, boolean elementsFixed, List<Expr> into) {
        if (e instanceof Expr.MathCall m && MathFunctions.isJdkMath(m) && MathFunctions.EXPENSIVE.contains(m.fn())
                && m.type() == Ty.DOUBLE && invariant(m, assigned, elementsFixed)) {
            into.add(m);
            return;
        }
        if (e instanceof Expr.Cond c) {
            find(c.cond(), assigned, elementsFixed, into);
            return; // either arm may not run
        }
        if (e instanceof Expr.Binary b && (b.op() == Expr.BinOp.AND || b.op() == Expr.BinOp.OR)) {
            find(b.left(), assigned, elementsFixed, into);
            return;
        }
        for (Expr child : IrWalker.children(e)) {
            find(child, assigned, elementsFixed, into);
        }
    }

    /** @return whether {@code e} has the same value in every trip and cannot throw, or throws in the first trip */
    private static boolean invariant(Expr e, Set<Sym> assigned, boolean elementsFixed) {
        boolean[] ok = {true};
        IrWalker.visit(e, x -> {
            if (x instanceof Expr.Var v) {
                ok[0] &= !assigned.contains(v.sym());
            } else if (x instanceof Expr.Binary b) {
                ok[0] &= !((b.type() == Ty.INT || b.type() == Ty.LONG) && (b.op() == Expr.BinOp.DIV || b.op() == Expr.BinOp.REM))
                        && b.op() != Expr.BinOp.AND && b.op() != Expr.BinOp.OR;
            } else if (x instanceof Expr.MathCall m) {
                ok[0] &= MathFunctions.isJdkMath(m) && MathFunctions.TOTAL.contains(m.fn());
            } else if (x instanceof Expr.ArrayLoad || x instanceof Expr.Length) {
                ok[0] &= elementsFixed;
            } else {
                ok[0] &= x instanceof Expr.Lit || x instanceof Expr.StaticField || x instanceof Expr.Unary
                        || x instanceof Expr.Cast;
            }
        });
        return ok[0];
    }

    /** @return whether the loop's bounds are int constants with at least one trip between them */
    private static boolean alwaysRuns(Core.For f) {
        if (!(f.from() instanceof Expr.Lit from) || !(f.bound() instanceof Expr.Lit bound)
                || f.from().type() != Ty.INT || f.bound().type() != Ty.INT) {
            return false;
        }
        long a;
        long b;
        try {
            a = Long.parseLong(from.text());
            b = Long.parseLong(bound.text());
        } catch (NumberFormatException notDecimal) {
            return false;
        }
        return switch (f.cmp()) {
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            default -> false;
        };
    }

    /** {@code Math.exp(-r * t)} is kept in {@code expOfR}: the function, then its first variable. */
    private String localName(Expr.MathCall m) {
        Set<Sym> vars = new LinkedHashSet<>();
        CoreWalk.vars(m, vars);
        if (vars.isEmpty()) {
            return m.fn() + "Value";
        }
        String v = symbols.name(vars.iterator().next());
        return m.fn() + "Of" + Character.toUpperCase(v.charAt(0)) + v.substring(1);
    }

    /** @return {@code b} with each hoisted call replaced by its local */
    private static Core.Block replace(Core.Block b, List<Expr> calls, List<Sym> locals) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            Core mapped = CoreWalk.mapExprs(c, e -> Rewrite.substitute(e, x -> {
                for (int k = 0; k < calls.size(); k++) {
                    if (x instanceof Expr.MathCall && IrWalker.same(x, calls.get(k))) {
                        return new Expr.Var(locals.get(k), x.pos());
                    }
                }
                return null;
            }));
            out.add(CoreWalk.mapBlocks(mapped, inner -> replace(inner, calls, locals)));
        }
        return new Core.Block(out, b.pos());
    }
}
