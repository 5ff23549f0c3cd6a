package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.ArrayCopy;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.processor.rules.Registry;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Activity analysis: a variable is active when it may depend on a differentiated parameter (varied) and may
 * influence the result through values the derivative follows (useful, {@link Usefulness}). Only active variables
 * get adjoints; every other value is a constant of differentiation, or dead for differentiation, and gets no code in
 * the reverse sweep. The checks (ADJ008, ADJ010, ADJ022) look at the varied half alone.
 *
 * <p>Scalars are flow-insensitive: a variable is active if any assignment to it has an active value. Arrays follow
 * the program through {@link PointsTo}: an abstract array ({@link PointsTo.Loc}) is active if it is a differentiated
 * parameter's array (or one of its rows), if an active value is written into it, or if it is a matrix whose rows
 * may be active arrays; an array variable is active if it may hold an active array somewhere. So the adjoint of an
 * array variable exists wherever the array it holds may carry a derivative, and is rebound with the variable: a
 * variable that holds an array that is not active there gets a zero adjoint of its own, which nothing reads back.
 *
 * <p>Errors found here: calls with active arguments (ADJ008), functions with active arguments that have no derivative
 * rule in the registry (ADJ022), and writes into the array of a parameter that carries a derivative (ADJ010), each
 * judged by what the variables hold at that statement.
 */
public final class Activity {
    private final PointsTo pointsTo;
    private final Set<Sym> active = new LinkedHashSet<>();
    private final BitSet activeLocs = new BitSet();
    /** The useful variables; null while the varied half is being computed and checked. */
    private Set<Sym> useful;

    private Activity(PointsTo pointsTo, Registry registry) {
        this.pointsTo = pointsTo;
        this.registry = registry;
    }

    /** The rules this analysis and the transforms after it use: the built-ins and the user's custom rules. */
    private final Registry registry;

    /** @return the registry of rules */
    public Registry registry() {
        return registry;
    }

    /**
     * @return for a call of a method with array parameters whose derivative is calls of its pullback and
     *     pushforward ({@link Registry.Calls}), those; else null
     */
    public Registry.Calls calls(Expr e) {
        return e instanceof Expr.MathCall m ? registry.calls(m.callee()) : null;
    }

    /** @return the rule of a node, from this analysis's registry, or null when it has none */
    public dev.adjoint.processor.rules.Rule rule(Expr e) {
        return dev.adjoint.processor.rules.Rules.of(e, registry);
    }

    /**
     * Analyses a lowered method body.
     *
     * @param body   the lowered body
     * @param wrt    the differentiated parameters
     * @param params every parameter (their arrays must not be written when active)
     * @param result the variable the method returns
     * @param diags  where errors go: calls with active arguments, writes into active parameter arrays
     * @return the analysis
     */
    public static Activity analyse(Core.Block body, List<Sym> wrt, List<Sym> params, Sym result,
            Diagnostics diags) {
        return analyse(body, wrt, params, result, diags, (call, at) -> false, callee -> null, Registry.BUILTINS);
    }

    /**
     * As {@link #analyse(Core.Block, List, List, Sym, Diagnostics)}, with {@code explain} asked first about each call
     * with an argument that depends on a differentiated parameter: it reports a more particular error itself (a
     * called method that could not be inlined) and returns true, or returns false for the usual ADJ008, whose way
     * out {@code wayOut} writes for the method called (null: ADJ008's usual one).
     */
    public static Activity analyse(Core.Block body, List<Sym> wrt, List<Sym> params, Sym result,
            Diagnostics diags, java.util.function.BiPredicate<Expr.Call, dev.adjoint.processor.ir.Pos> explain,
            java.util.function.Function<dev.adjoint.processor.ir.Callee, String> wayOut, Registry registry) {
        Activity a = new Activity(PointsTo.analyse(body, params), registry);
        for (Sym w : wrt) {
            if (w.type().isArray()) {
                a.activeLocs.set(a.pointsTo.paramArray(w).id());
                PointsTo.Loc rows = a.pointsTo.paramRows(w);
                if (rows != null) {
                    a.activeLocs.set(rows.id());
                }
            } else {
                a.active.add(w);
            }
        }
        List<Core> all = statements(body);
        Set<Sym> arrays = new LinkedHashSet<>();
        for (Sym p : params) {
            if (p.type().isArray()) {
                arrays.add(p);
            }
        }
        CoreWalk.assignedVars(body, arrays);
        arrays.removeIf(s -> !s.type().isArray());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Core s : all) {
                if (s instanceof Core.Declare d && !d.sym().type().isArray()) {
                    changed |= d.sym().type().isFloating() && a.isActive(d.init()) && a.active.add(d.sym());
                } else if (s instanceof Core.Assign as && !as.target().type().isArray() && a.isActive(as.value())) {
                    if (as.target() instanceof Expr.Var v) {
                        changed |= v.type().isFloating() && a.active.add(v.sym());
                    } else if (as.target() instanceof Expr.ArrayLoad al) {
                        changed |= a.activate(a.pointsTo.objects(al.array(), s));
                    }
                }
                // an initializer with active elements makes an active array (Expand writes it element by element)
                for (Expr e : exprsOf(s)) {
                    Core at = s;
                    boolean[] grew = {false};
                    dev.adjoint.processor.ir.IrWalker.visit(e, x -> {
                        if (x instanceof Expr.ArrayInit init && init.type() == Ty.DOUBLE_ARRAY && a.isActive(init)) {
                            grew[0] |= a.activate(a.pointsTo.objects(init, at));
                        }
                    });
                    changed |= grew[0];
                }
            }
            // a matrix whose rows may be active is active: its adjoint holds theirs
            for (PointsTo.Loc l : a.pointsTo.locations()) {
                if (!a.activeLocs.get(l.id()) && a.pointsTo.everRows(l.id()).intersects(a.activeLocs)) {
                    a.activeLocs.set(l.id());
                    changed = true;
                }
            }
            for (Sym s : arrays) {
                if (s.type().isFloating() && !a.active.contains(s)
                        && a.pointsTo.everHeld(s).intersects(a.activeLocs)) {
                    a.active.add(s);
                    changed = true;
                }
            }
        }
        a.check(all, wrt, params, diags, explain, wayOut);
        a.useful = Usefulness.analyse(body, result, params, a.pointsTo, registry);
        return a;
    }

    private boolean activate(BitSet locs) {
        BitSet before = (BitSet) activeLocs.clone();
        for (int l = locs.nextSetBit(0); l >= 0; l = locs.nextSetBit(l + 1)) {
            if (pointsTo.locations().get(l).type().isFloating()) {
                activeLocs.set(l);
            }
        }
        return !activeLocs.equals(before);
    }

    private static List<Core> statements(Core.Block body) {
        List<Core> all = new java.util.ArrayList<>();
        CoreWalk.forEach(body, all::add);
        return all;
    }

    /** @return the variable an array-valued expression reads its array from ({@code M} for {@code M[i]}), or null */
    private static Sym arrayRoot(Expr e) {
        Expr t = e;
        while (t instanceof Expr.ArrayLoad al) {
            t = al.array();
        }
        return t instanceof Expr.Var v && v.type().isArray() ? v.sym() : null;
    }

    /** @return whether the variable is active (for an array: whether it may hold an active array somewhere) */
    public boolean isActive(Sym s) {
        return s.type().isFloating() && active.contains(s) && (useful == null || useful.contains(s));
    }

    /** @return the points-to analysis this activity was computed from */
    public PointsTo pointsTo() {
        return pointsTo;
    }

    /**
     * @return whether two array expressions that statement {@code at} evaluates may be the same array there (and so
     *     have the same adjoint array)
     */
    public boolean mayAlias(Expr a, Expr b, Core at) {
        return pointsTo.mayAlias(a, b, at);
    }

    /**
     * @return whether the value of {@code e} may depend on a differentiated parameter with a non-zero derivative
     */
    public boolean isActive(Expr e) {
        return e != null && e.accept(activeValue);
    }

    /** Whether a value may carry a derivative, by kind: only floating values do. */
    private final Expr.Visitor<Boolean> activeValue = new Expr.Visitor<>() {
        @Override
        public Boolean visitVar(Expr.Var e) {
            return isActive(e.sym());
        }

        @Override
        public Boolean visitArrayLoad(Expr.ArrayLoad e) {
            Sym root = arrayRoot(e);
            return e.type().isFloating() && root != null && isActive(root);
        }

        @Override
        public Boolean visitUnary(Expr.Unary e) {
            return e.type().isFloating() && isActive(e.operand());
        }

        @Override
        public Boolean visitBinary(Expr.Binary e) {
            return e.type().isFloating() && (isActive(e.left()) || isActive(e.right()));
        }

        @Override
        public Boolean visitCond(Expr.Cond e) {
            return e.type().isFloating() && (isActive(e.then()) || isActive(e.otherwise())); // not the condition
        }

        @Override
        public Boolean visitCast(Expr.Cast e) {
            return e.type().isFloating() && isActive(e.operand());
        }

        @Override
        public Boolean visitMathCall(Expr.MathCall e) {
            if (!e.type().isFloating() || registry.isPiecewiseConstant(e.callee())) {
                return false;
            }
            return e.args().stream().anyMatch(Activity.this::isActive);
        }

        @Override
        public Boolean visitArrayInit(Expr.ArrayInit e) {
            return e.type().isFloating() && e.elements().stream().anyMatch(Activity.this::isActive);
        }

        @Override
        public Boolean visitLit(Expr.Lit e) {
            return false;
        }

        @Override
        public Boolean visitStaticField(Expr.StaticField e) {
            return false; // a constant
        }

        @Override
        public Boolean visitLength(Expr.Length e) {
            return false; // an int
        }

        @Override
        public Boolean visitNewArray(Expr.NewArray e) {
            return false; // a fresh array of zeros
        }

        @Override
        public Boolean visitCall(Expr.Call e) {
            return false; // its arguments are constants of differentiation (ADJ008 reports the others), or it is
            // WithoutDerivative.of, whose result has no derivative by design
        }

        @Override
        public Boolean visitAssign(Expr.Assign e) {
            throw notLowered(e);
        }

        @Override
        public Boolean visitIncDec(Expr.IncDec e) {
            throw notLowered(e);
        }

        @Override
        public Boolean visitHole(Expr.Hole e) {
            throw notLowered(e);
        }

        @Override
        public Boolean visitPop(Expr.Pop e) {
            throw notLowered(e);
        }
    };

    private static IllegalStateException notLowered(Expr e) {
        return new IllegalStateException("activity of " + e.getClass().getSimpleName()
                + ", which a lowered value never holds: " + e);
    }

    private void check(List<Core> all, List<Sym> wrt, List<Sym> params, Diagnostics diags,
            java.util.function.BiPredicate<Expr.Call, dev.adjoint.processor.ir.Pos> explain,
            java.util.function.Function<dev.adjoint.processor.ir.Callee, String> wayOut) {
        // The arrays an array argument may reach that carry a derivative. A parameter left out of wrt has an active
        // array only where an active value is written into it, which ADJ010 reports: one cause, one error.
        BitSet carrying = (BitSet) activeLocs.clone();
        for (PointsTo.Loc l : pointsTo.locations()) {
            if (l.isParams() && !wrt.contains(l.param())) {
                carrying.clear(l.id());
            }
        }
        // the names of the method's variables, which a way out's new variables must not clash with
        Set<String> taken = new java.util.HashSet<>();
        params.forEach(v -> taken.add(v.name()));
        for (Core s : all) {
            CoreWalk.writes(s).forEach(v -> taken.add(v.name()));
        }
        for (Core s : all) {
            for (Expr e : exprsOf(s)) {
                dev.adjoint.processor.ir.IrWalker.visit(e, x -> {
                    if (x instanceof Expr.MathCall m) {
                        checkRule(m, diags);
                    } else if (x instanceof Expr.Call c && !Registry.isWithoutDerivative(c.callee())) {
                        for (Expr arg : c.args()) {
                            // an array argument counts as active where it may hold an active array
                            boolean depends = arg.type().isArray()
                                    ? pointsTo.reachableObjects(arg, s).intersects(carrying) : isActive(arg);
                            if (depends) {
                                dev.adjoint.processor.ir.Pos at = arg.pos().tree() != null ? arg.pos() : c.pos();
                                if (!explain.test(c, at)) {
                                    diags.error(DiagnosticId.ADJ008, at, c.name() + "(...) receives a value that "
                                            + "depends on a differentiated parameter, and Adjoint has neither its "
                                            + "source in this compilation nor a custom rule for it",
                                            wayOut.apply(c.callee()));
                                }
                                break;
                            }
                        }
                    }
                });
            }
            if (s instanceof Core.Assign as && as.target() instanceof Expr.ArrayLoad al) {
                checkParamWrite(as, al, params, taken, diags);
            }
        }
    }

    /**
     * ADJ022: a function with an active argument that the derivative registry has no rule for (an overload it does
     * not know, or one whose derivative it cannot give). The parser only makes calls of registered overloads; this
     * keeps any other from reaching the transform, which could not differentiate it.
     */
    private void checkRule(Expr.MathCall m, Diagnostics diags) {
        if (m.args().stream().noneMatch(this::isActive)) {
            return;
        }
        Registry.Entry entry = registry.lookup(m.callee());
        if (entry != null && entry.differentiable()) {
            return;
        }
        String owner = m.callee().owner();
        String call = m.callee().signature().substring(owner.lastIndexOf('.') + 1);
        diags.error(DiagnosticId.ADJ022, m.pos(), call + " has no derivative rule in Adjoint",
                "rewrite it with arithmetic and the supported functions; the supported functions of Math and "
                        + "StrictMath are " + MathFunctions.namesText());
    }

    /**
     * ADJ010: a write into an array that, at this statement, may be a parameter's array (or a row of a matrix
     * parameter) carrying a derivative. A write into a local container of rows ({@code rows[0] = m[0]}) writes
     * the container, not the row it stores.
     */
    private void checkParamWrite(Core.Assign as, Expr.ArrayLoad target, List<Sym> params, Set<String> taken,
            Diagnostics diags) {
        BitSet written = pointsTo.objects(target.array(), as);
        for (int l = written.nextSetBit(0); l >= 0; l = written.nextSetBit(l + 1)) {
            if (pointsTo.locations().get(l).origin() == PointsTo.Origin.FIELD) {
                diags.error(DiagnosticId.ADJ016, as.pos(), "write into a static final array (a constant table: the "
                        + "gradient would not undo it, and other code reads it)", "copy the table into a local array "
                        + "and write to the copy");
                return;
            }
        }
        for (Sym p : params) {
            boolean hit = false;
            boolean only = !written.isEmpty();
            for (int l = written.nextSetBit(0); l >= 0; l = written.nextSetBit(l + 1)) {
                PointsTo.Loc loc = pointsTo.locations().get(l);
                if (loc.param() == p && activeLocs.get(l)) {
                    hit = true;
                }
                only &= loc.param() == p;
            }
            if (hit) {
                diags.error(DiagnosticId.ADJ010, as.pos(), "the element written " + (only ? "belongs" : "may belong")
                        + " to parameter '" + p.name() + "', whose gradient would no longer be that of the caller's "
                        + "values", "copy " + p.name() + " into a local, and write and read the copy where "
                        + p.name() + " was written and read after: "
                        + ArrayCopy.loops(p.name(), p.type(), n -> fresh(n, taken)));
                return;
            }
        }
    }

    /** @return {@code preferred}, or it followed by 2, 3, ..., whichever is not in {@code taken} */
    private static String fresh(String preferred, Set<String> taken) {
        String name = preferred;
        for (int k = 2; taken.contains(name); k++) {
            name = preferred + k;
        }
        return name;
    }

    /** @return the expressions a statement evaluates itself (not those of the statements nested in it) */
    public static List<Expr> exprsOf(Core s) {
        return CoreWalk.exprs(s);
    }
}
