package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.AdjointPlan;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the counted loops whose trips can each be reversed right after they run: the sum-reduction
 * pattern of the paper's loss functions ({@code cost += e * e} over the samples), and what a hand-written adjoint
 * does (Tapenade's independent-iterations loops). Reversing trip i needs the adjoints of what trip i leaves for
 * later; when a loop's trips share nothing but accumulators, and the result depends on each accumulator linearly
 * with coefficients known before the loop, those adjoints are known before the loop runs, and nothing is kept from
 * one trip to the next.
 *
 * <p>A counted loop {@code L} that runs once per call (in the body's own block, or in a block or branch nested in
 * it without a loop between: the code after an early return is in {@code if (!returned) { ... }}), followed by the
 * statements {@code T} that run after it to the end of the method, qualifies when:
 * <ul>
 *   <li>every variable declared before {@code L} that {@code L} assigns is an accumulator: an active {@code double}
 *       assigned only as {@code s = s + e}, {@code s = e + s} or {@code s = s - e}, where {@code e} does not read
 *       {@code s}, and read nowhere else in {@code L}; its adjoint is then the same at every trip (the sum rule);</li>
 *   <li>every array element {@code L} writes is of an array allocated once for the call, each of whose elements a
 *       trip writes before it reads it ({@link Tbr#tripPrivate}), that no other array read in {@code L} or named in
 *       {@code T} may alias, and that {@code T} does not read; or of an array the trip allocates itself;</li>
 *   <li>no call in {@code L} is passed an array that could carry values from one trip to the next;</li>
 *   <li>in {@code T}, each statement that reads or assigns an accumulator, or a variable computed from one, is a
 *       top-level assignment of a {@code double} variable, and on the way from the result back to each accumulator
 *       every rule's share reads only the seed and variables that neither {@code L} nor {@code T} assigns
 *       ({@code cost / X.length}: {@code 1 / X.length}).</li>
 * </ul>
 * The adjoints of the accumulators at the loop's end, {@code d(result)/d(s)}, are then IR expressions over values
 * known before the loop: the symbolic reverse sweep of {@code T} along those paths. A loop that qualifies is reversed
 * trip by trip only when the ordinary layout would save values from inside a loop nested in its body
 * ({@link #savesInInnerLoops}).
 */
final class IndependentIterations {
    private final Core.Block top;
    private final Activity activity;
    private final Tbr tbr;
    private final Sym result;
    private final Expr seed;
    private final List<Sym> params;

    private IndependentIterations(Core.Block top, Activity activity, Tbr tbr, Sym result, Expr seed,
            List<Sym> params) {
        this.top = top;
        this.activity = activity;
        this.tbr = tbr;
        this.result = result;
        this.seed = seed;
        this.params = params;
    }

    /**
     * @param top      the lowered, expanded body
     * @param activity its activity
     * @param tbr      what its reverse sweep saves
     * @param result   the {@code double} local that holds the result
     * @param seed     the result's adjoint: {@code 1.0} for a gradient, the caller's ȳ for a pullback
     * @param params   the method's parameters
     * @return each loop whose trips reverse one by one, with the adjoint of each of its accumulators at its end
     */
    static Map<Core.For, Map<Sym, Expr>> plan(Core.Block top, Activity activity, Tbr tbr, Sym result, Expr seed,
            List<Sym> params) {
        IndependentIterations ii = new IndependentIterations(top, activity, tbr, result, seed, params);
        Map<Core.For, Map<Sym, Expr>> plans = new IdentityHashMap<>();
        ii.region(top, List.of(), new HashSet<>(params), plans);
        return plans;
    }

    /**
     * The loops of a block that runs at most once per call: the body's own, or a block or branch nested in such a
     * block without a loop between (lowering puts the code after an early return in {@code if (!returned) { ... }}).
     *
     * @param b        the block
     * @param after    the statements that run after it, in order, up to the end of the body
     * @param declared the variables declared before it that are in scope in it, parameters included
     */
    private void region(Core.Block b, List<Core> after, Set<Sym> declared, Map<Core.For, Map<Sym, Expr>> plans) {
        Set<Sym> inScope = new HashSet<>(declared);
        List<Core> stmts = b.stmts();
        for (int k = 0; k < stmts.size(); k++) {
            Core c = stmts.get(k);
            List<Core> tail = new ArrayList<>(stmts.subList(k + 1, stmts.size()));
            tail.addAll(after);
            if (c instanceof Core.For f) {
                Map<Sym, Expr> atEnd = savesInInnerLoops(f) ? loop(f, tail, inScope) : null;
                if (atEnd != null) {
                    plans.put(f, atEnd);
                }
            } else if (c instanceof Core.Block inner) {
                region(inner, tail, inScope, plans);
            } else if (c instanceof Core.If i) {
                region(i.then(), tail, inScope, plans);
                region(i.otherwise(), tail, inScope, plans);
            } else if (c instanceof Core.Declare d) {
                inScope.add(d.sym());
            }
        }
    }

    /**
     * @param l        a loop of a block that runs at most once
     * @param tail     the statements that run after it
     * @param declared the variables declared before it, in scope at it
     * @return the accumulators of the loop and their adjoints at its end, or null
     */
    private Map<Sym, Expr> loop(Core.For l, List<Core> tail, Set<Sym> declared) {
        Set<Sym> inner = new HashSet<>();
        CoreWalk.forEach(l, c -> {
            if (c instanceof Core.Declare d) {
                inner.add(d.sym());
            } else if (c instanceof Core.For f) {
                inner.add(f.index());
            }
        });
        Set<Sym> assigned = new LinkedHashSet<>();
        CoreWalk.assignedVars(l, assigned);
        Set<Sym> accumulators = new LinkedHashSet<>();
        Set<Sym> privateArrays = new LinkedHashSet<>();
        Set<Sym> fresh = new HashSet<>();
        for (Sym s : assigned) {
            if (inner.contains(s)) {
                if (s.type().isArray() && writesElements(l, s)) {
                    if (!allocatedPerTrip(l, s)) {
                        return null; // it may hold an array from outside the loop
                    }
                    fresh.add(s);
                }
            } else if (s.type().isArray()) {
                if (CoreWalk.assigns(l, s) || !tbr.tripPrivate(l, s)) {
                    return null;
                }
                privateArrays.add(s);
            } else if (s.type() == Ty.DOUBLE && activity.isActive(s) && accumulates(l, s)) {
                accumulators.add(s);
            } else {
                return null;
            }
        }
        if (accumulators.isEmpty() || !callsKeepToTrip(l, privateArrays, fresh)) {
            return null;
        }
        // no other array read in the loop, or named after it, may be one of the trip's own arrays
        Set<Sym> readInLoop = arraysNamed(List.of(l));
        Set<Sym> namedAfter = arraysNamed(tail);
        for (Sym a : privateArrays) {
            if (namedAfter.contains(a)) {
                return null;
            }
            for (Sym other : union(readInLoop, namedAfter)) {
                if (other != a && !fresh.contains(other)
                        && activity.mayAlias(new Expr.Var(other, Pos.NONE), new Expr.Var(a, Pos.NONE), l)) {
                    return null;
                }
            }
        }
        return adjointsAtEnd(l, tail, declared, accumulators);
    }

    private static Set<Sym> union(Set<Sym> a, Set<Sym> b) {
        Set<Sym> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

    /**
     * Whether reversing the loop after the forward sweep would put values on the tape from inside a loop nested in its
     * body (an old value saved, a value stored, a block's locals, a trip count): tape traffic that grows with the
     * inner loops, which reversing trip by trip removes or keeps within the trip. Only then is it done. With a few
     * values saved per trip, the two-pass layout's forward sweep runs as fast as the primal, trip overlapping trip,
     * and the pair was faster (the neuron, one JMH run of both layouts side by side: 776 µs in two passes against
     * 1,240 µs trip by trip; docs/BENCHMARKS.md).
     */
    private boolean savesInInnerLoops(Core.For l) {
        boolean[] found = {false};
        for (Core s : l.body().stmts()) {
            CoreWalk.forEach(s, c -> {
                if (c instanceof Core.For || c instanceof Core.While) {
                    CoreWalk.forEach(c, x -> found[0] |= saves(x));
                }
            });
        }
        return found[0];
    }

    private boolean saves(Core x) {
        if (x instanceof Core.While || x instanceof Core.Assign a && tbr.pushes(a)
                || x instanceof Core.Block b && !tbr.saves(b).isEmpty()) {
            return true;
        }
        AdjointPlan p = x instanceof Core.Assign || x instanceof Core.Declare ? tbr.plan(x) : null;
        return p != null && !p.storedInOrder().isEmpty();
    }

    /** @return whether {@code l} writes an element of the array variable {@code s} */
    private static boolean writesElements(Core l, Sym s) {
        boolean[] found = {false};
        CoreWalk.forEach(l, c -> found[0] |= c instanceof Core.Assign a && a.target() instanceof Expr.ArrayLoad
                && CoreWalk.root(a.target()) == s);
        return found[0];
    }

    /** @return whether the loop's local {@code s} is declared once with a new array and never assigned again */
    private static boolean allocatedPerTrip(Core l, Sym s) {
        int[] decls = {0};
        boolean[] fresh = {true};
        CoreWalk.forEach(l, c -> {
            if (c instanceof Core.Declare d && d.sym() == s) {
                decls[0]++;
                fresh[0] &= d.init() instanceof Expr.NewArray;
            }
        });
        return decls[0] == 1 && fresh[0] && !CoreWalk.assigns(l, s);
    }

    /**
     * @return whether {@code s} is assigned in {@code l} only as {@code s = s + e}, {@code s = e + s} or
     *     {@code s = s - e} with {@code e} not reading it, is read nowhere else in {@code l}, and no assignment of it
     *     saves its old value
     */
    private boolean accumulates(Core.For l, Sym s) {
        int[] updates = {0};
        int[] reads = {0};
        boolean[] ok = {true};
        CoreWalk.forEach(l, c -> {
            if (c instanceof Core.Declare d && d.sym() == s) {
                ok[0] = false;
            }
            for (Expr e : Activity.exprsOf(c)) {
                if (c instanceof Core.Assign a && e == a.target() && e instanceof Expr.Var) {
                    continue;
                }
                IrWalker.visit(e, x -> reads[0] += x instanceof Expr.Var v && v.sym() == s ? 1 : 0);
            }
            if (c instanceof Core.Assign a && a.target() instanceof Expr.Var t && t.sym() == s) {
                updates[0]++;
                ok[0] &= isAccumulation(a.value(), s) && !tbr.pushes(a) && tbr.inverseOf(a) == null;
            }
        });
        return ok[0] && updates[0] > 0 && reads[0] == updates[0];
    }

    private static boolean isAccumulation(Expr value, Sym s) {
        if (!(value instanceof Expr.Binary b) || b.type() != Ty.DOUBLE
                || b.op() != Expr.BinOp.ADD && b.op() != Expr.BinOp.SUB) {
            return false;
        }
        if (isVar(b.left(), s)) {
            return !reads(b.right(), s);
        }
        return b.op() == Expr.BinOp.ADD && isVar(b.right(), s) && !reads(b.left(), s);
    }

    private static boolean isVar(Expr e, Sym s) {
        return e instanceof Expr.Var v && v.sym() == s;
    }

    private static boolean reads(Expr e, Sym s) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= isVar(x, s));
        return found[0];
    }

    /**
     * @return whether every array passed to a call in {@code l} is a trip's own (allocated by the trip, or written
     *     by it before it is read): a called method may keep values in any other array it is given
     */
    private static boolean callsKeepToTrip(Core l, Set<Sym> privateArrays, Set<Sym> fresh) {
        boolean[] ok = {true};
        CoreWalk.forEach(l, c -> {
            for (Expr e : Activity.exprsOf(c)) {
                IrWalker.visit(e, x -> {
                    List<Expr> args = x instanceof Expr.Call call ? call.args()
                            : x instanceof Expr.MathCall m ? m.args() : List.of();
                    {
                        for (Expr a : args) {
                            if (a.type().isArray()) {
                                Sym root = CoreWalk.root(a);
                                ok[0] &= root != null && (privateArrays.contains(root) || fresh.contains(root));
                            }
                        }
                    }
                });
            }
        });
        return ok[0];
    }

    /** @return the array variables that the statements name */
    private static Set<Sym> arraysNamed(List<Core> stmts) {
        Set<Sym> named = new LinkedHashSet<>();
        for (Core s : stmts) {
            CoreWalk.forEach(s, c -> {
                for (Expr e : Activity.exprsOf(c)) {
                    IrWalker.visit(e, x -> {
                        if (x instanceof Expr.Var v && v.sym().type().isArray()) {
                            named.add(v.sym());
                        }
                    });
                }
            });
        }
        return named;
    }

    // ---------------------------------------------------------------- the tail's reverse sweep, symbolically

    /**
     * The reverse sweep of the tail, taken symbolically along the paths from the result back to the accumulators.
     *
     * @return each accumulator's adjoint at the loop's end, or null when a path reads what the loop or the tail
     *     computes (the adjoint would not be known before the loop)
     */
    private Map<Sym, Expr> adjointsAtEnd(Core.For l, List<Core> tail, Set<Sym> declared, Set<Sym> accumulators) {
        Set<Sym> known = new HashSet<>(declared);
        Set<Sym> changed = new HashSet<>();
        CoreWalk.assignedVars(l, changed);
        for (Core c : tail) {
            CoreWalk.assignedVars(c, changed);
        }
        known.removeAll(changed);
        if (seed instanceof Expr.Var v) {
            known.add(v.sym());
        }
        // forward: the statements of the tail that read or assign what depends on an accumulator
        Set<Sym> dependent = new HashSet<>(accumulators);
        List<Core> relevant = new ArrayList<>();
        for (Core c : tail) {
            if (!mentions(c, dependent)) {
                continue;
            }
            Sym target = scalarTarget(c);
            if (target == null) {
                return null;
            }
            dependent.add(target);
            relevant.add(c);
        }
        // backward: d(result)/d(v) for each variable on the way, as expressions over known values
        Map<Sym, Expr> coef = new LinkedHashMap<>();
        coef.put(result, seed);
        for (int k = relevant.size() - 1; k >= 0; k--) {
            Core c = relevant.get(k);
            Sym target = scalarTarget(c);
            Expr g = coef.remove(target);
            AdjointPlan plan = tbr.plan(c);
            if (g == null || plan == null) {
                continue;
            }
            Expr value = c instanceof Core.Declare d ? d.init() : ((Core.Assign) c).value();
            if (!flow(value, g, plan, dependent, known, coef)) {
                return null;
            }
        }
        Map<Sym, Expr> atEnd = new LinkedHashMap<>();
        for (Sym s : accumulators) {
            atEnd.put(s, Rewrite.bottomUp(coef.getOrDefault(s, new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE)),
                    IndependentIterations::withoutOnes));
        }
        return atEnd;
    }

    /**
     * {@code a * 1.0}, {@code 1.0 * a} and {@code a / 1.0} are {@code a}, and {@code -(-a)} is {@code a}, exactly, for
     * a {@code double} {@code a} (an integer one would turn a division it is part of into integer division).
     */
    private static Expr withoutOnes(Expr e) {
        if (e instanceof Expr.Binary b && (b.op() == Expr.BinOp.MUL || b.op() == Expr.BinOp.DIV)
                && isOne(b.right()) && b.left().type() == Ty.DOUBLE) {
            return b.left();
        } else if (e instanceof Expr.Binary b && b.op() == Expr.BinOp.MUL && isOne(b.right())
                && b.left() instanceof Expr.Lit l && l.type() == Ty.INT && isDecimal(l.text())) {
            return new Expr.Lit(l.text() + ".0", Ty.DOUBLE, l.pos()); // 3 * 1.0 is 3.0
        } else if (e instanceof Expr.Binary b && b.op() == Expr.BinOp.MUL && isOne(b.left())
                && b.right().type() == Ty.DOUBLE) {
            return b.right();
        } else if (e instanceof Expr.Unary u && u.op() == Expr.UnOp.NEG && u.operand() instanceof Expr.Unary inner
                && inner.op() == Expr.UnOp.NEG) {
            return inner.operand();
        }
        return e;
    }

    /** @return whether an int literal is written in decimal digits only (not 0x1F, 07 or 1_000) */
    private static boolean isDecimal(String text) {
        if (text.isEmpty() || text.length() > 9 || text.length() > 1 && text.charAt(0) == '0') {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) < '0' || text.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isOne(Expr e) {
        return e instanceof Expr.Lit l && l.text().equals("1.0");
    }

    /** @return the variable a top-level {@code double} declaration or assignment sets, else null */
    private static Sym scalarTarget(Core c) {
        if (c instanceof Core.Declare d && d.sym().type() == Ty.DOUBLE) {
            return d.sym();
        } else if (c instanceof Core.Assign a && a.target() instanceof Expr.Var v && v.sym().type() == Ty.DOUBLE) {
            return v.sym();
        }
        return null;
    }

    /** @return whether {@code c}, or a statement in it, reads or assigns one of {@code syms} */
    private static boolean mentions(Core c, Set<Sym> syms) {
        boolean[] found = {false};
        CoreWalk.forEach(c, s -> {
            for (Sym w : CoreWalk.writes(s)) {
                found[0] |= syms.contains(w);
            }
            for (Expr e : Activity.exprsOf(s)) {
                found[0] |= mentions(e, syms);
            }
        });
        return found[0];
    }

    private static boolean mentions(Expr e, Set<Sym> syms) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Var v && syms.contains(v.sym()));
        return found[0];
    }

    /** Adds {@code g}, the adjoint of node {@code n}, into the coefficients of the dependent variables it reads. */
    private boolean flow(Expr n, Expr g, AdjointPlan plan, Set<Sym> dependent, Set<Sym> known, Map<Sym, Expr> coef) {
        if (!mentions(n, dependent)) {
            return true;
        }
        if (n instanceof Expr.Var v) {
            Expr before = coef.get(v.sym());
            coef.put(v.sym(), before == null ? g : new Expr.Binary(Expr.BinOp.ADD, before, g, Ty.DOUBLE, Pos.NONE));
            return true;
        }
        Rule rule = activity.rule(n);
        if (AdjointPlan.isLeaf(n) || activity.calls(n) != null || rule == null) {
            return false;
        }
        List<Expr> args = AdjointPlan.args(n);
        for (int k = 0; k < args.size(); k++) {
            Expr child = args.get(k);
            if (!mentions(child, dependent)) {
                continue;
            }
            boolean others = plan.othersActive(args, k);
            Expr template = rule.term(k, others);
            if (template == null) {
                return false;
            }
            Expr term = rule.passesSeed(k, others) ? g : Template.fill(template, args, n, g);
            if (!readsOnly(term, known)) {
                return false;
            }
            if (rule.negated().get(k)) {
                term = new Expr.Unary(Expr.UnOp.NEG, term, Ty.DOUBLE, Pos.NONE);
            }
            if (!flow(child, term, plan, dependent, known, coef)) {
                return false;
            }
        }
        return true;
    }

    /** @return whether {@code e} reads only variables of {@code known}, and no array element */
    private static boolean readsOnly(Expr e, Set<Sym> known) {
        boolean[] ok = {true};
        IrWalker.visit(e, x -> {
            if (x instanceof Expr.Var v) {
                ok[0] &= known.contains(v.sym());
            } else if (x instanceof Expr.ArrayLoad || x instanceof Expr.Call || x instanceof Expr.Pop
                    || x instanceof Expr.Hole || x instanceof Expr.Assign || x instanceof Expr.IncDec) {
                ok[0] = false;
            }
        });
        return ok[0];
    }
}
