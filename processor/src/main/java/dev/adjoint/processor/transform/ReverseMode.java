package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.AdjointPlan;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Origin;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Rules;
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
 * Reverse mode, IR in and IR out. Each lowered statement becomes a pair ({@link StmtDiff}): its forward part, the
 * original computation plus the {@link Core.Save}s of what the reverse sweep will need, and its reverse part, which
 * {@link Core.Restore}s what the statement overwrote and propagates adjoints from its result to its operands by the
 * rules of the registry ({@link Core.Accumulate}, each carrying its rule). Blocks reverse their statements' reverse
 * parts; counted loops run backwards; other loops run their recorded number of trips; branches take the branch the
 * forward sweep took.
 *
 * <p>Naming: the adjoint of {@code x} (∂result/∂x) is {@code xBar}; temporaries are {@code t1}, {@code t2}, ...,
 * and a temporary's adjoint {@code t1Bar} is ∂result/∂t1, sign included; trip counts are {@code trips1}, ...; every
 * generated name is hygienic ({@link SymbolTable}).
 */
public final class ReverseMode {
    /** A statement's forward and reverse parts, as statements to splice into the enclosing block. */
    private record StmtDiff(List<Core> forward, List<Core> reverse) {}

    /** Both sweeps of a body. */
    public record Sweeps(Core.Block forward, Core.Block reverse) {}


    /** How a block is reversed. */
    private enum Kind {
        /** The method's own body: its locals' adjoints are declared by the caller, and nothing is saved. */
        TOP,
        /** A block in a statement: its locals are saved when it ends and taken back when its reverse starts. */
        NESTED,
        /**
         * The body of a loop whose trips are reversed one by one ({@link IndependentIterations}): its reverse runs in
         * the same scope, right after it, so its locals are still there, as at the top level.
         */
        TRIP
    }

    /** Why a counter's step is undone by its inverse rather than by a value from the tape. */
    private static final Origin INVERSE = new Origin("inverse", "v = v + s is undone by v = v - s, exactly");

    private final Activity activity;
    private final Tbr tbr;
    private final SymbolTable symbols;
    private final Core.Block top;
    private final Map<Core.For, Map<Sym, Expr>> independent;
    private final Map<Sym, Sym> bars = new LinkedHashMap<>();
    private final Set<Sym> adjoints = new LinkedHashSet<>();
    private boolean usesTape;
    private int temps;
    /**
     * While a selecting rule's operand is propagated into ({@code max}, {@code min}: ∂/∂a is 1 if a is selected,
     * else 0), the conditions under which every selection on the way down picked it; null elsewhere.
     */
    private Expr selected;
    /**
     * While a statement whose target's adjoint may hold a selection's zero is propagated, that adjoint: its shares
     * are taken only where it is not zero, so that the zero stays strong across statements too
     * ({@code u = cosh(a); c = min(1, u)}: no {@code sinh(a) * uBar} = ∞ * 0 where {@code min} discarded u).
     */
    private Expr live;
    /** The roots of the variables and arrays whose adjoints may hold a selection's zero ({@link #selectable}). */
    private final Set<Sym> selectable;
    /** Whether {@link #selectable} holds an array: then any element's adjoint may hold a selection's zero. */
    private final boolean selectsArrays;
    /** The variables the body assigns or declares (for elements, the array). */
    private final Set<Sym> assigned = new HashSet<>();
    /** Whether the body calls a method, which may write into the arrays it is given. */
    private final boolean calls;
    private int loops;
    /** How many blocks the statement being transformed is nested in, below the body's own. */
    private int nested;

    /**
     * @param top      the lowered, expanded body
     * @param activity its activity
     * @param tbr      what to save
     * @param symbols  the method's symbols
     */
    public ReverseMode(Core.Block top, Activity activity, Tbr tbr, SymbolTable symbols) {
        this(top, activity, tbr, symbols, Map.of());
    }

    /**
     * @param top         the lowered, expanded body
     * @param activity    its activity
     * @param tbr         what to save
     * @param symbols     the method's symbols
     * @param independent the top-level loops whose trips are reversed one by one, each right after it runs, with the
     *                    adjoints of their accumulators at their end ({@link IndependentIterations})
     */
    public ReverseMode(Core.Block top, Activity activity, Tbr tbr, SymbolTable symbols,
            Map<Core.For, Map<Sym, Expr>> independent) {
        this.independent = independent;
        this.top = top;
        this.activity = activity;
        this.tbr = tbr;
        this.symbols = symbols;
        this.selectable = selectable(top);
        this.selectsArrays = selectable.stream().anyMatch(r -> r.type().isArray());
        CoreWalk.assignedVars(top, assigned);
        this.calls = CoreWalk.callsWithArrays(top);
    }

    /**
     * @return the roots of the active operands a selecting rule ({@code max}, {@code min}) may give a zero share,
     *     and of every active operand of a statement that assigns one of those, and so on up the data flow: their
     *     adjoints may be zero where the forward mode's tangents were discarded by a selection
     */
    private Set<Sym> selectable(Core.Block body) {
        Set<Sym> roots = new HashSet<>();
        List<Core> stmts = new ArrayList<>();
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Declare || c instanceof Core.Assign) {
                stmts.add(c);
            }
            for (Expr e : CoreWalk.exprs(c)) {
                IrWalker.visit(e, x -> {
                    Rule rule = AdjointPlan.isLeaf(x) || !activity.isActive(x) || activity.calls(x) != null ? null
                            : activity.rule(x);
                    if (rule == null) {
                        return;
                    }
                    List<Expr> args = AdjointPlan.args(x);
                    for (int k = 0; k < args.size(); k++) {
                        Expr a = args.get(k);
                        if (AdjointPlan.isLeaf(a) && activity.isActive(a)
                                && (rule.selection(k, true) != null || rule.selection(k, false) != null)) {
                            roots.add(CoreWalk.root(a));
                        }
                    }
                });
            }
        });
        boolean grew = !roots.isEmpty();
        while (grew) {
            grew = false;
            boolean anyArray = roots.stream().anyMatch(r -> r.type().isArray());
            for (Core c : stmts) {
                Expr target = c instanceof Core.Declare d ? new Expr.Var(d.sym(), Pos.NONE) : ((Core.Assign) c).target();
                Expr value = c instanceof Core.Declare d ? d.init() : ((Core.Assign) c).value();
                Sym root = CoreWalk.root(target);
                if (value == null || !(roots.contains(root) || anyArray && target instanceof Expr.ArrayLoad)) {
                    continue;
                }
                List<Sym> found = new ArrayList<>();
                IrWalker.visit(value, x -> {
                    if (AdjointPlan.isLeaf(x) && activity.isActive(x) && x.type() == Ty.DOUBLE) {
                        found.add(CoreWalk.root(x));
                    }
                });
                grew |= roots.addAll(found);
            }
        }
        return roots;
    }

    /** @return whether the adjoint of {@code target} may hold a selection's zero */
    private boolean mayHoldSelectedZero(Expr target) {
        Sym root = CoreWalk.root(target);
        return selectable.contains(root) || target instanceof Expr.ArrayLoad && selectsArrays;
    }

    /** Runs {@code body} with the shares it emits taken only where {@code g} is not zero, when it may be. */
    private void whileLive(Expr target, Expr g, Runnable body) {
        Expr outer = live;
        if (mayHoldSelectedZero(target)) {
            live = g;
        }
        body.run();
        live = outer;
    }

    /** @return the forward and reverse sweeps of the whole body (its top-level adjoints declared by the caller) */
    public Sweeps sweeps() {
        StmtDiff d = block(top, Kind.TOP);
        return new Sweeps(new Core.Block(d.forward(), top.pos()), new Core.Block(d.reverse(), top.pos()));
    }

    /** @return whether any statement uses the tape */
    public boolean usesTape() {
        return usesTape;
    }

    /** @return the adjoint of an active variable: {@code xBar}, of the same type */
    public Sym bar(Sym s) {
        return bars.computeIfAbsent(s, k -> adjoint(symbols.name(k) + "Bar", k.type()));
    }

    /** @return every adjoint the sweeps use: the variables' and the temporaries' */
    public Set<Sym> adjoints() {
        return Set.copyOf(adjoints);
    }

    private Sym adjoint(String name, Ty type) {
        Sym s = symbols.fresh(name, type);
        adjoints.add(s);
        return s;
    }

    /** @return the active scalar locals declared directly in the top-level block, whose adjoints start at zero */
    public List<Sym> topLevelScalars() {
        List<Sym> r = new ArrayList<>();
        for (Core c : top.stmts()) {
            if (c instanceof Core.Declare d && activity.isActive(d.sym()) && d.sym().type() == Ty.DOUBLE) {
                r.add(d.sym());
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- statements

    private StmtDiff block(Core.Block b, Kind kind) {
        List<Core> fwd = new ArrayList<>();
        List<List<Core>> revParts = new ArrayList<>();
        int depth = kind == Kind.NESTED ? 1 : 0;
        nested += depth;
        for (Core c : b.stmts()) {
            StmtDiff d = stmt(c);
            fwd.addAll(d.forward());
            if (!d.reverse().isEmpty()) {
                revParts.add(d.reverse());
            }
        }
        nested -= depth;
        List<Core> rev = new ArrayList<>();
        if (kind != Kind.TOP) {
            List<Sym> saved = kind == Kind.NESTED ? tbr.saves(b) : List.of();
            if (!saved.isEmpty() && completesNormally(b)) {
                fwd.add(new Core.Note(new Core.Says.Saved(saved), b.pos()));
                for (Sym s : saved) {
                    fwd.add(save(var(s)));
                    if (s.type().isArray() && activity.isActive(s)) {
                        fwd.add(save(var(bar(s))));
                    }
                }
                for (int k = saved.size() - 1; k >= 0; k--) {
                    Sym s = saved.get(k);
                    if (s.type().isArray() && activity.isActive(s)) {
                        rev.add(restore(var(bar(s)), true));
                    }
                    rev.add(restore(var(s), true));
                }
            }
            List<Core.Declare> again = kind == Kind.NESTED ? tbr.recomputes(b) : List.of();
            if (!again.isEmpty() && completesNormally(b)) {
                List<Sym> syms = new ArrayList<>();
                again.forEach(d -> syms.add(d.sym()));
                rev.add(new Core.Note(new Core.Says.Recomputed(syms), b.pos()));
                for (Core.Declare d : again) {
                    rev.add(new Core.Declare(d.sym(), d.init(), d.pos()));
                }
            }
            if (!revParts.isEmpty()) {
                List<Sym> hoisted = onceRunScalars();
                for (Core c : b.stmts()) {
                    if (c instanceof Core.Declare d && activity.isActive(d.sym()) && d.sym().type() == Ty.DOUBLE
                            && !hoisted.contains(d.sym())) {
                        rev.add(new Core.Declare(bar(d.sym()), zero(), d.pos()));
                    }
                }
            }
        }
        if (revParts.isEmpty() && rev.isEmpty()) {
            return new StmtDiff(fwd, List.of());
        }
        for (int k = revParts.size() - 1; k >= 0; k--) {
            rev.addAll(revParts.get(k));
        }
        return new StmtDiff(fwd, rev);
    }

    private StmtDiff stmt(Core c) {
        return c.accept(new Core.PrimalVisitor<StmtDiff>() {
            @Override
            public StmtDiff visitBlock(Core.Block b) {
                StmtDiff d = block(b, Kind.NESTED);
                return new StmtDiff(List.of(new Core.Block(d.forward(), b.pos())),
                        d.reverse().isEmpty() ? List.of() : List.of(new Core.Block(d.reverse(), b.pos())));
            }

            @Override
            public StmtDiff visitDeclare(Core.Declare d) {
                return declare(d);
            }

            @Override
            public StmtDiff visitAssign(Core.Assign a) {
                return assign(a);
            }

            @Override
            public StmtDiff visitEval(Core.Eval e) {
                return new StmtDiff(List.of(e), List.of());
            }

            @Override
            public StmtDiff visitIf(Core.If i) {
                return branch(i);
            }

            @Override
            public StmtDiff visitFor(Core.For f) {
                return counted(f);
            }

            @Override
            public StmtDiff visitWhile(Core.While w) {
                return loop(w);
            }

            @Override
            public StmtDiff visitThrow(Core.Throw t) {
                return new StmtDiff(List.of(t), List.of());
            }
        });
    }

    private StmtDiff declare(Core.Declare d) {
        Sym s = d.sym();
        List<Core> fwd = new ArrayList<>();
        List<Core> rev = new ArrayList<>();
        if (activity.isActive(s) && !s.type().isArray() && activity.isActive(d.init())) {
            AdjointPlan plan = tbr.plan(d);
            Map<Expr, Expr> kept = new IdentityHashMap<>();
            List<Expr> nodes = store(plan, kept, fwd);
            fwd.add(kept.isEmpty() ? d
                    : new Core.Declare(s, Rewrite.substitute(d.init(), kept::get), d.origin(), d.pos()));
            rev.add(new Core.Note(new Core.Says.SourceOf(d), d.pos()));
            Map<Expr, Expr> values = new IdentityHashMap<>();
            if (plan.rootNeeded()) {
                values.put(d.init(), var(s));
            }
            unstore(nodes, kept, values, rev);
            whileLive(var(s), var(bar(s)), () -> propagate(plan, d.init(), var(bar(s)), values, rev));
            return new StmtDiff(fwd, rev);
        }
        fwd.add(d);
        if (activity.isActive(s) && s.type().isArray()) {
            fwd.add(new Core.Declare(bar(s), barInit(var(s), d.init()), d.pos()));
        }
        return new StmtDiff(fwd, rev);
    }

    private StmtDiff assign(Core.Assign a) {
        Expr target = a.target();
        Sym root = CoreWalk.root(target);
        Expr inverse = tbr.inverseOf(a);
        if (inverse != null) {
            // a counter stepped by a constant or a variable: undone by its inverse, nothing saved
            return new StmtDiff(List.of(a), List.of(new Core.Assign(target, inverse, INVERSE, a.pos())));
        }
        boolean pushed = tbr.pushes(a);
        List<Core> fwd = new ArrayList<>();
        List<Core> rev = new ArrayList<>();
        boolean activeArray = target.type().isArray() && activity.isActive(root);
        if (pushed) {
            fwd.add(save(target));
            if (activeArray) {
                fwd.add(save(barOf(target)));
            }
        }
        if (activeArray) {
            // an adjoint array taken from the value's (a = b[k]) is bound first, while the indices still read what
            // the primal's read (a = b[(int) a[0]] rebinds a); a fresh one is shaped after the new array
            Core bind = new Core.Assign(barOf(target), barInit(target, a.value()), a.pos());
            boolean first = sharesAdjoint(a.value());
            if (first) {
                fwd.add(bind);
            }
            fwd.add(a);
            if (!first) {
                fwd.add(bind);
            }
        }
        boolean activeTarget = !target.type().isArray() && activity.isActive(root);
        AdjointPlan plan = tbr.plan(a);
        List<Expr> nodes = List.of();
        Map<Expr, Expr> kept = new IdentityHashMap<>();
        if (!activeArray) {
            if (activeTarget && plan != null) {
                nodes = store(plan, kept, fwd);
            }
            fwd.add(kept.isEmpty() ? a
                    : new Core.Assign(target, Rewrite.substitute(a.value(), kept::get), a.origin(), a.pos()));
        }
        if (activeTarget) {
            rev.add(new Core.Note(new Core.Says.SourceOf(a), a.pos()));
        }
        Map<Expr, Expr> values = new IdentityHashMap<>();
        if (activeTarget && plan != null && plan.rootNeeded() && target instanceof Expr.Var) {
            if (pushed) {
                Sym t = symbols.fresh("t" + (++temps), Ty.DOUBLE);
                rev.add(new Core.Declare(t, target, a.pos()));
                values.put(a.value(), var(t));
            } else {
                values.put(a.value(), target);
            }
        }
        unstore(nodes, kept, values, rev);
        if (pushed) {
            if (activeArray) {
                rev.add(restore(barOf(target), false));
            }
            rev.add(restore(target, false));
        }
        if (activeTarget) {
            Expr g = barOf(target);
            if (plan == null) {
                rev.add(new Core.Zero(g, a.pos()));
            } else if (!writesOwnAdjoint(a, target, a.value())) {
                whileLive(target, g, () -> propagate(plan, a.value(), g, values, rev));
                rev.add(new Core.Zero(g, a.pos()));
            } else if (selfChild(a, target, a.value()) >= 0) {
                // the target is one direct operand of the value (z = z + e, z = z * a): the other operands take
                // their share of zBar first, then zBar is scaled by the target's own partial derivative
                int k = selfChild(a, target, a.value());
                emitTemps(plan, a.value(), values, rev);
                whileLive(target, g, () -> {
                    downChildren(plan, a.value(), g, false, values, rev, k);
                    Rule rule = activity.rule(a.value());
                    List<Expr> args = AdjointPlan.args(a.value());
                    boolean others = plan.othersActive(args, k);
                    if (rule.passesSeed(k, others) && !rule.negated().get(k)) {
                        rev.add(new Core.Note(new Core.Says.Unchanged(g, rule.origin(k)), a.pos()));
                    } else {
                        Expr term = fill(rule.term(k, others), args, a.value(), g, values);
                        rev.add(new Core.Assign(g, whenSelected(rule.negated().get(k) ? negated(term) : term),
                                rule.origin(k), a.pos()));
                    }
                });
            } else {
                Sym g0 = adjoint("t" + (++temps) + "Bar", Ty.DOUBLE);
                rev.add(new Core.Declare(g0, g, a.pos()));
                rev.add(new Core.Zero(g, a.pos()));
                whileLive(target, var(g0), () -> propagate(plan, a.value(), var(g0), values, rev));
            }
        }
        return new StmtDiff(fwd, rev);
    }

    /**
     * @return whether propagating {@code value} may write the adjoint of {@code target} itself: the same variable,
     *     or an element of an array that may be the target's array at statement {@code at} (adjoint arrays alias as
     *     their arrays do)
     */
    private boolean writesOwnAdjoint(Core at, Expr target, Expr value) {
        boolean[] found = {false};
        IrWalker.visit(value, x -> {
            if (!activity.isActive(x)) {
                return;
            }
            if (target instanceof Expr.Var tv && x instanceof Expr.Var v && v.sym() == tv.sym()) {
                found[0] = true;
            } else if (target instanceof Expr.ArrayLoad tl && x instanceof Expr.ArrayLoad al && !x.type().isArray()
                    && activity.mayAlias(al.array(), tl.array(), at)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    private StmtDiff branch(Core.If i) {
        if (i.otherwise().stmts().size() == 1 && i.otherwise().stmts().get(0) instanceof Core.If) {
            return chain(i);
        }
        StmtDiff t = block(i.then(), Kind.NESTED);
        StmtDiff e = block(i.otherwise(), Kind.NESTED);
        boolean thenEnds = completesNormally(i.then());
        boolean elseEnds = completesNormally(i.otherwise());
        boolean work = !t.reverse().isEmpty() || !e.reverse().isEmpty();
        // a branch that throws never reaches the reverse sweep: when only one branch can end normally,
        // the reverse sweep knows it was taken and nothing is recorded
        boolean record = work && thenEnds && elseEnds;
        List<Core> thenFwd = new ArrayList<>(t.forward());
        List<Core> elseFwd = new ArrayList<>(e.forward());
        if (record) {
            thenFwd.add(save(new Expr.Lit("true", Ty.BOOLEAN, Pos.NONE)));
            elseFwd.add(save(new Expr.Lit("false", Ty.BOOLEAN, Pos.NONE)));
        }
        List<Core> fwd = List.of(new Core.If(i.cond(), new Core.Block(thenFwd, i.then().pos()),
                new Core.Block(elseFwd, i.otherwise().pos()), i.pos()));
        List<Core> rev = new ArrayList<>();
        if (record) {
            if (t.reverse().isEmpty()) {
                rev.add(new Core.If(new Expr.Unary(Expr.UnOp.NOT, pop(Ty.BOOLEAN), Ty.BOOLEAN, Pos.NONE),
                        new Core.Block(e.reverse(), i.pos()), new Core.Block(List.of(), i.pos()), i.pos()));
            } else {
                rev.add(new Core.If(pop(Ty.BOOLEAN), new Core.Block(t.reverse(), i.pos()),
                        new Core.Block(e.reverse(), i.pos()), i.pos()));
            }
        } else if (work && thenEnds && !elseEnds) {
            rev.addAll(t.reverse());
        } else if (work && elseEnds && !thenEnds) {
            rev.addAll(e.reverse());
        }
        return new StmtDiff(fwd, rev);
    }

    /**
     * An else-if chain: one flat chain in the forward sweep (the printer writes an else holding only an if as
     * {@code else if}), recording which arm ran as one int, and a {@link Core.Switch} on it in the reverse sweep.
     */
    private StmtDiff chain(Core.If first) {
        List<Core.If> ifs = new ArrayList<>();
        List<Core.Block> arms = new ArrayList<>();
        Core.If at = first;
        while (true) {
            ifs.add(at);
            arms.add(at.then());
            Core.Block rest = at.otherwise();
            if (rest.stmts().size() == 1 && rest.stmts().get(0) instanceof Core.If next) {
                at = next;
            } else {
                arms.add(rest);
                break;
            }
        }
        List<StmtDiff> diffs = new ArrayList<>();
        boolean work = false;
        int ending = 0;
        for (Core.Block arm : arms) {
            StmtDiff d = block(arm, Kind.NESTED);
            diffs.add(d);
            work |= !d.reverse().isEmpty();
            ending += completesNormally(arm) ? 1 : 0;
        }
        boolean record = work && ending > 1;
        List<Core.Block> fwdArms = new ArrayList<>();
        for (int k = 0; k < arms.size(); k++) {
            List<Core> arm = new ArrayList<>(diffs.get(k).forward());
            if (record && completesNormally(arms.get(k))) {
                arm.add(save(new Expr.Lit(Integer.toString(k), Ty.INT, Pos.NONE)));
            }
            fwdArms.add(new Core.Block(arm, arms.get(k).pos()));
        }
        Core.Block otherwise = fwdArms.get(fwdArms.size() - 1);
        for (int k = ifs.size() - 1; k >= 0; k--) {
            Core.If source = ifs.get(k);
            Core.If rebuilt = new Core.If(source.cond(), fwdArms.get(k), otherwise, source.pos());
            otherwise = new Core.Block(List.of(rebuilt), source.pos());
        }
        List<Core> fwd = otherwise.stmts();
        List<Core> rev = new ArrayList<>();
        if (record) {
            List<Core.Block> cases = new ArrayList<>();
            for (StmtDiff d : diffs) {
                cases.add(new Core.Block(d.reverse(), first.pos()));
            }
            rev.add(new Core.Switch(pop(Ty.INT), cases, first.pos()));
        } else if (work) {
            for (int k = 0; k < arms.size(); k++) {
                if (completesNormally(arms.get(k))) {
                    rev.addAll(diffs.get(k).reverse()); // the only arm that can end normally
                }
            }
        }
        return new StmtDiff(fwd, rev);
    }

    private StmtDiff counted(Core.For f) {
        if (independent.containsKey(f)) {
            return tripByTrip(f, independent.get(f));
        }
        StmtDiff body = block(f.body(), Kind.NESTED);
        List<Core> fwd = List.of(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(),
                new Core.Block(body.forward(), f.body().pos()), f.pos()));
        if (body.reverse().isEmpty()) {
            return new StmtDiff(fwd, List.of());
        }
        Ty t = f.index().type();
        Expr one = new Expr.Lit(t == Ty.LONG ? "1L" : "1", t, Pos.NONE);
        Ty arith = Ty.promote(f.bound().type(), t);
        Expr last = switch (f.cmp()) {
            case LT -> new Expr.Binary(Expr.BinOp.SUB, f.bound(), one, arith, Pos.NONE);
            case GT -> new Expr.Binary(Expr.BinOp.ADD, f.bound(), one, arith, Pos.NONE);
            default -> f.bound();
        };
        Expr.BinOp back = f.step() > 0 ? Expr.BinOp.GE : Expr.BinOp.LE;
        List<Core> rev = List.of(new Core.For(f.index(), last, back, f.from(), -f.step(),
                new Core.Block(body.reverse(), f.body().pos()), f.pos()));
        return new StmtDiff(fwd, rev);
    }

    /**
     * A loop whose trips share nothing but accumulators with known adjoints ({@link IndependentIterations}): each
     * trip's reverse runs right after the trip, in its scope, with the accumulators' adjoints at the loop's end
     * computed before the loop. Nothing is kept from one trip for the next, and the reverse sweep has nothing left
     * to do for the loop: its adjoints are all added in by then.
     */
    private StmtDiff tripByTrip(Core.For f, Map<Sym, Expr> atEnd) {
        List<Core> fwd = new ArrayList<>();
        Map<Sym, Sym> previous = new LinkedHashMap<>();
        List<Sym> accumulators = new ArrayList<>(atEnd.keySet());
        for (Sym s : accumulators) {
            Sym known = adjoint(symbols.name(s) + "BarAtEnd", Ty.DOUBLE);
            fwd.add(new Core.Declare(known, atEnd.get(s), new Origin("independent iterations", "d(result)/d("
                    + symbols.name(s) + ") at the loop's end, known before it runs"),
                    f.pos()));
            previous.put(s, bars.put(s, known));
        }
        // the trip's direct statements keep their temporaries in locals, as the top level's do: the trip's reverse
        // runs in their scope
        int depth = nested;
        nested = 0;
        StmtDiff body = block(f.body(), Kind.TRIP);
        nested = depth;
        for (Sym s : accumulators) {
            if (previous.get(s) == null) {
                bars.remove(s);
            } else {
                bars.put(s, previous.get(s));
            }
        }
        if (body.reverse().isEmpty()) {
            return new StmtDiff(List.of(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(),
                    new Core.Block(body.forward(), f.body().pos()), f.pos())), List.of());
        }
        List<Core> trip = new ArrayList<>(body.forward());
        trip.add(new Core.Note(new Core.Says.TripReversed(accumulators), f.pos()));
        trip.add(new Core.Block(body.reverse(), f.body().pos()));
        fwd.add(new Core.Note(new Core.Says.TripByTrip(f, accumulators), f.pos()));
        fwd.add(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(), new Core.Block(trip,
                f.body().pos()), f.pos()));
        return new StmtDiff(fwd, List.of());
    }

    /** @return whether some loop's trips are reversed one by one, so the adjoints they add into exist before it */
    public boolean reversesTripByTrip() {
        return !independent.isEmpty();
    }

    /**
     * @return when a loop is reversed trip by trip, the active doubles declared in the blocks below the top level
     *     that run at most once (a guard's, after an early return): the trips' reverses may add into their adjoints
     *     before those blocks' reverses start, so the adjoints are declared before the forward sweep, like the top
     *     level's; otherwise none
     */
    public List<Sym> onceRunScalars() {
        if (onceRunScalars == null) {
            onceRunScalars = findOnceRunScalars();
        }
        return onceRunScalars;
    }

    private List<Sym> onceRunScalars;

    private List<Sym> findOnceRunScalars() {
        if (independent.isEmpty()) {
            return List.of();
        }
        Set<Core> direct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        direct.addAll(top.stmts());
        List<Sym> r = new ArrayList<>();
        for (Core c : Tbr.onceRun(top, new ArrayList<>())) {
            if (!direct.contains(c) && c instanceof Core.Declare d && activity.isActive(d.sym())
                    && d.sym().type() == Ty.DOUBLE) {
                r.add(d.sym());
            }
        }
        return r;
    }

    private StmtDiff loop(Core.While l) {
        StmtDiff pre = block(l.preCond(), Kind.NESTED);
        StmtDiff body = block(l.body(), Kind.NESTED);
        StmtDiff update = block(l.update(), Kind.NESTED);
        boolean reverse = !pre.reverse().isEmpty() || !body.reverse().isEmpty() || !update.reverse().isEmpty();
        if (!reverse) {
            return new StmtDiff(List.of(new Core.While(new Core.Block(pre.forward(), l.preCond().pos()), l.cond(),
                    new Core.Block(body.forward(), l.body().pos()), new Core.Block(update.forward(),
                            l.update().pos()), l.testFirst(), l.pos())), List.of());
        }
        Sym trips = symbols.fresh("trips" + (++loops), Ty.INT);
        List<Core> counting = new ArrayList<>();
        counting.add(new Core.Assign(var(trips), plusOne(trips), Pos.NONE));
        counting.addAll(body.forward());
        List<Core> fwd = new ArrayList<>();
        fwd.add(new Core.Declare(trips, new Expr.Lit("0", Ty.INT, Pos.NONE), l.pos()));
        fwd.add(new Core.While(new Core.Block(pre.forward(), l.preCond().pos()), l.cond(),
                new Core.Block(counting, l.body().pos()), new Core.Block(update.forward(), l.update().pos()),
                l.testFirst(), l.pos()));
        fwd.add(save(var(trips)));
        Sym left = symbols.fresh("remaining" + loops, Ty.INT);
        List<Core> back = new ArrayList<>(update.reverse());
        back.addAll(body.reverse());
        List<Core> rev = new ArrayList<>();
        if (l.testFirst() && !pre.reverse().isEmpty()) {
            // the tests ran once more than the body: the one that ended the loop is undone first, and each test
            // is written once (its reverse declares locals and temporaries)
            rev.add(new Core.Declare(left, pop(Ty.INT), l.pos()));
            Expr more = new Expr.Binary(Expr.BinOp.NE, var(left), new Expr.Lit("0", Ty.INT, Pos.NONE), Ty.BOOLEAN,
                    Pos.NONE);
            Core.Block countDown = new Core.Block(List.of(new Core.Assign(var(left),
                    new Expr.Binary(Expr.BinOp.SUB, var(left), new Expr.Lit("1", Ty.INT, Pos.NONE), Ty.INT,
                            Pos.NONE), Pos.NONE)), l.pos());
            rev.add(new Core.While(new Core.Block(pre.reverse(), l.pos()), more, new Core.Block(back, l.pos()),
                    countDown, true, l.pos()));
        } else {
            rev.add(new Core.For(left, pop(Ty.INT), Expr.BinOp.GT, new Expr.Lit("0", Ty.INT, Pos.NONE), -1,
                    new Core.Block(back, l.pos()), l.pos()));
        }
        return new StmtDiff(fwd, rev);
    }

    /**
     * The forward half of storing ({@link AdjointPlan#isStored}): each stored node of the plan, children first,
     * computed into a temporary that the statement then reads (the same operations, so the same value), and saved
     * on the tape when the statement is in a block (a loop's trip or a branch; at the top level the temporary
     * itself lasts until the reverse sweep).
     *
     * @return the stored nodes, in the order they are saved
     */
    private List<Expr> store(AdjointPlan plan, Map<Expr, Expr> kept, List<Core> fwd) {
        List<Expr> nodes = plan.storedInOrder();
        for (Expr n : nodes) {
            Sym t = symbols.fresh("t" + (++temps), Ty.DOUBLE);
            fwd.add(new Core.Declare(t, Rewrite.substitute(n, kept::get), n.pos()));
            if (nested > 0) {
                fwd.add(new Core.Note(new Core.Says.Saved(List.of(t)), n.pos()));
                fwd.add(save(var(t)));
            }
            kept.put(n, var(t));
        }
        return nodes;
    }

    /**
     * The reverse half: the stored values taken back, last saved first, as the values of their nodes. Inside a
     * block the reverse sweep declares the forward sweep's temporary again (its own block is another scope), from
     * the tape; at the top level, which runs once and whose scope both sweeps share, it reads the forward sweep's
     * temporary itself, and nothing goes through the tape.
     */
    private void unstore(List<Expr> nodes, Map<Expr, Expr> kept, Map<Expr, Expr> values, List<Core> rev) {
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Sym t = ((Expr.Var) kept.get(nodes.get(k))).sym();
            if (nested > 0) {
                rev.add(new Core.Declare(t, pop(Ty.DOUBLE), nodes.get(k).pos()));
            }
            values.put(nodes.get(k), var(t));
        }
    }

    /** @return whether the block can run to its end (it does not end by throwing) */
    static boolean completesNormally(Core.Block b) {
        if (b.stmts().isEmpty()) {
            return true;
        }
        Core last = b.stmts().get(b.stmts().size() - 1);
        if (last instanceof Core.Throw) {
            return false;
        } else if (last instanceof Core.Block inner) {
            return completesNormally(inner);
        } else if (last instanceof Core.If i) {
            return completesNormally(i.then()) || completesNormally(i.otherwise());
        } else if (last instanceof Core.While l) {
            return !(l.cond() instanceof Expr.Lit lit && lit.text().equals("true"));
        }
        return true;
    }

    // ---------------------------------------------------------------- adjoint propagation

    private void propagate(AdjointPlan plan, Expr value, Expr g, Map<Expr, Expr> values, List<Core> out) {
        emitTemps(plan, value, values, out);
        down(plan, value, g, false, values, out);
    }

    /** Computes, bottom-up, the values of the interior nodes that rules read. */
    private void emitTemps(AdjointPlan plan, Expr n, Map<Expr, Expr> values, List<Core> out) {
        if (!activity.isActive(n) || AdjointPlan.isLeaf(n)) {
            return;
        }
        for (Expr a : AdjointPlan.args(n)) {
            emitTemps(plan, a, values, out);
        }
        if (plan.isNeeded(n) && !values.containsKey(n)) {
            Sym t = symbols.fresh("t" + (++temps), Ty.DOUBLE);
            out.add(new Core.Declare(t, Rewrite.substitute(n, values::get), n.pos()));
            values.put(n, var(t));
        }
    }

    /** Propagates adjoint {@code g} of node {@code n} to its operands, by {@code n}'s rule. */
    private void down(AdjointPlan plan, Expr n, Expr g, boolean negate, Map<Expr, Expr> values, List<Core> out) {
        if (!activity.isActive(n)) {
            return;
        }
        if (AdjointPlan.isLeaf(n)) {
            out.add(new Core.Accumulate(barOf(n), whenSelected(g), negate, Origin.IDENTITY, n.pos()));
            return;
        }
        downChildren(plan, n, g, negate, values, out, -1);
    }

    /** Propagates {@code g} from {@code n} to each active operand but the one at {@code skip}. */
    private void downChildren(AdjointPlan plan, Expr n, Expr g, boolean negate, Map<Expr, Expr> values,
            List<Core> out, int skip) {
        dev.adjoint.processor.rules.Registry.Calls calls = activity.calls(n);
        if (calls != null) {
            pullback((Expr.MathCall) n, calls, plan, negate ? negated(g) : g, values, out);
            return;
        }
        Rule rule = activity.rule(n);
        if (rule == null) {
            throw new IllegalStateException("no rule for " + n);
        }
        List<Expr> args = AdjointPlan.args(n);
        for (int k = 0; k < args.size(); k++) {
            Expr child = args.get(k);
            boolean others = plan.othersActive(args, k);
            Expr template = rule.term(k, others);
            if (k == skip || !activity.isActive(child) || template == null) {
                continue;
            }
            boolean neg = negate ^ rule.negated().get(k);
            Expr picked = rule.selection(k, others);
            if (picked != null && !AdjointPlan.isLeaf(child)) {
                // a selection's zero is a strong zero, as in forward mode, which selects the operand's tangent
                // rather than multiplying it by 0: the operand's own partials, which may be infinite where it
                // overflowed (min(1, cosh(a)) at large a), reach the adjoints only under the condition, never ∞ * 0
                Expr outer = selected;
                Expr when = fill(picked, args, n, g, values);
                selected = outer == null ? when : new Expr.Binary(Expr.BinOp.AND, outer, when, Ty.BOOLEAN, Pos.NONE);
                down(plan, child, g, neg, values, out);
                selected = outer;
                continue;
            }
            Expr term = fill(template, args, n, g, values);
            if (AdjointPlan.isLeaf(child)) {
                out.add(new Core.Accumulate(barOf(child), whenSelected(term), neg, rule.origin(k), child.pos()));
            } else if (rule.passesSeed(k, others)) {
                down(plan, child, g, neg, values, out);
            } else {
                Expr known = values.get(child);
                String base = known instanceof Expr.Var v ? symbols.name(v.sym()) + "Bar" : "t" + (++temps) + "Bar";
                Sym t = adjoint(base, Ty.DOUBLE);
                // the temporary holds d(result)/d(child), sign included, as its name promises
                out.add(new Core.Declare(t, neg ? negated(term) : term, rule.origin(k), child.pos()));
                down(plan, child, var(t), false, values, out);
            }
        }
    }

    /**
     * @return the position of the operand of {@code value}'s root that is the target itself (a variable, or an
     *     element addressed by the same expressions), when the target occurs exactly there and its adjoint nowhere
     *     else in {@code value}; -1 otherwise
     */
    private int selfChild(Core at, Expr target, Expr value) {
        boolean element = target instanceof Expr.ArrayLoad && target.type() == Ty.DOUBLE;
        if (!(target instanceof Expr.Var || element) || AdjointPlan.isLeaf(value) || activity.rule(value) == null) {
            return -1;
        }
        List<Expr> args = AdjointPlan.args(value);
        int found = -1;
        for (int k = 0; k < args.size(); k++) {
            Expr a = args.get(k);
            // the same variable, or the same element (a[i] = a[i] + e: the same array and index expressions, and
            // no other operand reads an element of an array that may be a's)
            if (element ? IrWalker.same(a, target)
                    : a instanceof Expr.Var v && v.sym() == ((Expr.Var) target).sym()) {
                if (found >= 0) {
                    return -1;
                }
                found = k;
            } else if (writesOwnAdjoint(at, target, a)) {
                return -1;
            }
        }
        if (found >= 0 && activity.rule(value).terms().get(found) == null) {
            return -1; // x * x: the square rule puts both shares on the first operand
        }
        return found;
    }

    /** @return a rule's share, its holes filled with the operands (or the temporaries that hold them) */
    private static Expr fill(Expr template, List<Expr> args, Expr node, Expr g, Map<Expr, Expr> values) {
        List<Expr> operands = new ArrayList<>();
        for (Expr a : args) {
            operands.add(Rewrite.substitute(a, values::get));
        }
        return Template.fill(template, operands, Rewrite.substitute(node, values::get), g);
    }

    /**
     * A call of a method with array parameters: its pullback, given the call's arguments, the adjoint {@code g} of
     * its result and the adjoint arrays of its array arguments (null for one that is not active), adds
     * g·∂f/∂a into each of those and returns the adjoints of the {@code double} arguments, which go on down.
     */
    private void pullback(Expr.MathCall n, dev.adjoint.processor.rules.Registry.Calls calls, AdjointPlan plan,
            Expr g, Map<Expr, Expr> values, List<Core> out) {
        List<Expr> args = n.args();
        List<Expr> callArgs = new ArrayList<>();
        for (Expr a : args) {
            callArgs.add(Rewrite.substitute(a, values::get));
        }
        callArgs.add(whenSelected(g));
        List<Integer> scalars = new ArrayList<>();
        for (int k = 0; k < args.size(); k++) {
            Ty t = n.callee().params().get(k);
            if (t == Ty.DOUBLE) {
                scalars.add(k);
            } else if (t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX) {
                callArgs.add(activity.isActive(args.get(k)) ? barOf(args.get(k)) : new Expr.Lit("null", t, Pos.NONE));
            }
        }
        Origin origin = new Origin("pullback of " + n.fn(), "its arrays' adjoints += g * d" + n.fn()
                + "/d(argument), the doubles' returned");
        Expr call = new Expr.Call(calls.pullback(), callArgs, n.pos());
        boolean anyActive = false;
        for (int k : scalars) {
            anyActive |= activity.isActive(args.get(k));
        }
        if (!anyActive) {
            out.add(new Core.Eval(call, n.pos()));
            return;
        }
        if (scalars.size() == 1) {
            Sym t = adjoint("t" + (++temps) + "Bar", Ty.DOUBLE);
            out.add(new Core.Declare(t, call, origin, n.pos()));
            down(plan, args.get(scalars.get(0)), var(t), false, values, out);
            return;
        }
        Sym t = symbols.fresh("t" + (++temps) + "Bars", Ty.DOUBLE_ARRAY);
        out.add(new Core.Declare(t, call, origin, n.pos()));
        for (int j = 0; j < scalars.size(); j++) {
            Expr child = args.get(scalars.get(j));
            if (activity.isActive(child)) {
                down(plan, child, new Expr.ArrayLoad(var(t), new Expr.Lit(Integer.toString(j), Ty.INT, Pos.NONE),
                        Pos.NONE), false, values, out);
            }
        }
    }

    /**
     * @return {@code term}, or {@code selected ? term : 0.0} below a selection, and {@code g != 0.0 ? term : 0.0}
     *     where the adjoint being propagated, {@link #live}, may hold a selection's zero and the share is more
     *     than a constant multiple of it
     */
    private Expr whenSelected(Expr term) {
        Expr cond = selected;
        if (live != null && !finiteMultiple(term, live)) {
            Expr nonzero = new Expr.Binary(Expr.BinOp.NE, live, new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE),
                    Ty.BOOLEAN, Pos.NONE);
            cond = cond == null ? nonzero : new Expr.Binary(Expr.BinOp.AND, nonzero, cond, Ty.BOOLEAN, Pos.NONE);
        }
        return cond == null ? term : new Expr.Cond(cond, term, new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE),
                Ty.DOUBLE, Pos.NONE);
    }

    /**
     * Whether {@code term} is {@code g} times values that are finite wherever the inputs are (constants, parameters
     * and elements of parameter arrays the method never writes): zero exactly where g is.
     */
    private boolean finiteMultiple(Expr term, Expr g) {
        if (IrWalker.same(term, g)) {
            return true;
        } else if (term instanceof Expr.Unary u && u.op() == Expr.UnOp.NEG) {
            return finiteMultiple(u.operand(), g);
        } else if (term instanceof Expr.Binary b && b.op() == Expr.BinOp.MUL) {
            return finiteMultiple(b.left(), g) && input(b.right()) || input(b.left()) && finiteMultiple(b.right(), g);
        } else if (term instanceof Expr.Binary b && b.op() == Expr.BinOp.DIV) {
            return finiteMultiple(b.left(), g) && b.right() instanceof Expr.Lit;
        } else if (term instanceof Expr.Cond c) {
            return finiteMultiple(c.then(), g) && finiteMultiple(c.otherwise(), g) || finiteMultiple(c.then(), g)
                    && c.otherwise() instanceof Expr.Lit;
        } else if (term instanceof Expr.Lit l) {
            return l.text().equals("0.0");
        }
        return false;
    }

    /** Whether {@code e} is a constant, an unassigned parameter or an element of a parameter array never written. */
    private boolean input(Expr e) {
        if (e instanceof Expr.Lit) {
            return true;
        } else if (e instanceof Expr.Var v) {
            return v.sym().isParam() && !assigned.contains(v.sym());
        } else if (e instanceof Expr.ArrayLoad al) {
            Sym root = CoreWalk.root(al);
            return root.isParam() && !assigned.contains(root) && !calls && IrWalker.children(al).stream()
                    .filter(c -> c != al.array()).allMatch(c -> c.type() == Ty.INT);
        } else if (e instanceof Expr.Cast c) {
            return c.operand().type() == Ty.INT;
        }
        return false;
    }

    /** {@code -term}: exact in floating point, so the adjoint is the one {@code -=} would have given. */
    private static Expr negated(Expr term) {
        return new Expr.Unary(Expr.UnOp.NEG, term, Ty.DOUBLE, Pos.NONE);
    }

    // ---------------------------------------------------------------- names and storage

    /** @return the adjoint of a variable or array element, e.g. {@code wBar[j]} */
    private Expr barOf(Expr e) {
        if (e instanceof Expr.Var v) {
            return var(bar(v.sym()));
        } else if (e instanceof Expr.ArrayLoad al) {
            return new Expr.ArrayLoad(barOf(al.array()), al.index(), al.pos());
        }
        throw new IllegalStateException("no adjoint for " + e);
    }

    /** @return how the adjoint array of an active array variable is made when the variable is assigned */
    private Expr barInit(Expr target, Expr value) {
        if (value instanceof Expr.NewArray n) {
            if (n.type() == Ty.DOUBLE_ARRAY || n.dims().size() < 2) {
                return new Expr.NewArray(n.type(), List.of(new Expr.Length(target, Pos.NONE)), Pos.NONE);
            }
        } else if (sharesAdjoint(value)) {
            return barOf(value);
        } else if (value instanceof Expr.Lit l && l.text().equals("null")) {
            return new Expr.Lit("null", target.type(), Pos.NONE);
        }
        return Shadows.zerosLike(target);
    }

    /** Whether an array assignment's value is an active array whose adjoint the target's adjoint becomes. */
    private boolean sharesAdjoint(Expr value) {
        return (value instanceof Expr.Var || value instanceof Expr.ArrayLoad) && activity.isActive(CoreWalk.root(value));
    }

    private Core save(Expr value) {
        usesTape = true;
        return new Core.Save(value, value.pos());
    }

    private Core restore(Expr target, boolean declare) {
        usesTape = true;
        return new Core.Restore(target, declare, target.pos());
    }

    private Expr pop(Ty type) {
        usesTape = true;
        return new Expr.Pop(type, Pos.NONE);
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }

    private static Expr zero() {
        return new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE);
    }

    private static Expr plusOne(Sym s) {
        return new Expr.Binary(Expr.BinOp.ADD, var(s), new Expr.Lit("1", Ty.INT, Pos.NONE), Ty.INT, Pos.NONE);
    }
}
