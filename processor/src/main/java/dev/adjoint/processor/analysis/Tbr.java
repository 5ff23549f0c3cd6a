package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.MathFunctions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * To-be-recorded analysis: which values the forward sweep must save because the reverse sweep reads them after
 * the forward sweep has overwritten them.
 *
 * <ul>
 *   <li>An assignment to a variable saves the old value when some read of the variable by the reverse sweep may
 *       come before it in execution: earlier in the code, at the assignment itself ({@code z = z * a}), or anywhere
 *       in a loop that encloses both (an earlier iteration) within the variable's scope.</li>
 *   <li>A write to an array element (a number, or a row of a matrix) saves the old element when the reverse sweep
 *       reads elements of an array that the written one may be ({@link PointsTo}: what the array expressions may
 *       hold where they are evaluated). Restoring the element reads the written array and its index again in the
 *       reverse sweep, which may make more writes save.</li>
 *   <li>A variable declared in a nested block (a loop body, a branch) and read by the reverse sweep is saved when
 *       its block ends, and taken back when the reverse sweep enters that block; or, when that is cheaper and gives
 *       the same value, computed again there ({@link #recomputes}).</li>
 * </ul>
 */
public final class Tbr {
    private final Activity activity;
    private final Core.Block body;
    private final Map<Core, Integer> position = new IdentityHashMap<>();
    private final Map<Core, Core> parent = new IdentityHashMap<>();
    private final Map<Sym, Core> scopeOf = new HashMap<>();
    private final Map<Sym, List<Use>> uses = new HashMap<>();
    /** The arrays whose elements the reverse sweep reads: the abstract arrays of {@link PointsTo}. */
    private final BitSet readArrays = new BitSet();
    /** Each read of elements by the reverse sweep: where, and of which abstract arrays. */
    private final List<ArrayRead> arrayReads = new ArrayList<>();
    private final Set<Core> pushes = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Core, Expr> inverses = new IdentityHashMap<>();
    private final Map<Core.Block, List<Sym>> saves = new IdentityHashMap<>();
    private final Map<Core.Block, List<Core.Declare>> recomputes = new IdentityHashMap<>();
    private final Map<Core, AdjointPlan> plans = new IdentityHashMap<>();

    private record Use(Core at, boolean afterWrite) {}

    private record ArrayRead(Core at, BitSet arrays) {}

    private void arrayRead(Core at, BitSet arrays) {
        readArrays.or(arrays);
        arrayReads.add(new ArrayRead(at, arrays));
    }

    /** Loops reversed trip by trip ({@link #analyse(Core.Block, Activity, Set)}). */
    private final Set<Core> independent = Collections.newSetFromMap(new IdentityHashMap<>());

    private Tbr(Core.Block body, Activity activity) {
        this.body = body;
        this.activity = activity;
    }

    /**
     * @param body     the lowered body
     * @param activity its activity
     * @return the analysis
     */
    public static Tbr analyse(Core.Block body, Activity activity) {
        return analyse(body, activity, Set.of());
    }

    /**
     * @param body        the lowered body
     * @param activity    its activity
     * @param independent counted loops whose trips the reverse sweep reverses one by one, each right after it runs:
     *                    a value that a later statement of the same trip reads back is then never needed once the
     *                    next trip overwrites it
     * @return the analysis
     */
    public static Tbr analyse(Core.Block body, Activity activity, Set<? extends Core> independent) {
        Tbr t = new Tbr(body, activity);
        t.independent.addAll(independent);
        t.number(body, null);
        t.findOnceAllocated();
        t.collectUses();
        t.decideElementPushes();
        t.decideVariablePushes();
        t.decideSaves();
        return t;
    }

    private void number(Core c, Core up) {
        position.put(c, position.size());
        parent.put(c, up);
        // the scopes of declared variables: a local's is its block, a counted loop's index's is the loop
        if (c instanceof Core.Block b) {
            for (Core s : b.stmts()) {
                if (s instanceof Core.Declare d) {
                    scopeOf.put(d.sym(), b);
                }
            }
        } else if (c instanceof Core.For f) {
            scopeOf.put(f.index(), f);
        }
        for (Core nested : CoreWalk.children(c)) {
            number(nested, c);
        }
    }

    private void use(Sym s, Core at, boolean afterWrite) {
        uses.computeIfAbsent(s, k -> new ArrayList<>()).add(new Use(at, afterWrite));
    }

    private void collectUses() {
        CoreWalk.forEach(body, c -> c.accept(new Core.PrimalVisitor<Void>() {
            @Override
            public Void visitDeclare(Core.Declare d) {
                if (activity.isActive(d.sym()) && !d.sym().type().isArray() && activity.isActive(d.init())) {
                    plan(d, new Expr.Var(d.sym(), d.pos()), d.init());
                }
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                if (a.target().type().isArray() || !activity.isActive(CoreWalk.root(a.target()))) {
                    return null;
                }
                if (a.target() instanceof Expr.ArrayLoad al) {
                    readAddress(al, a); // the reverse sweep reads and zeroes the element's adjoint
                }
                if (activity.isActive(a.value())) {
                    plan(a, a.target(), a.value());
                }
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                // the reverse sweep runs the loop backwards: it evaluates the start and the bound again
                Set<Sym> vars = new LinkedHashSet<>();
                CoreWalk.vars(f.from(), vars);
                CoreWalk.vars(f.bound(), vars);
                vars.forEach(s -> use(s, f, false));
                return null;
            }

            @Override
            public Void visitWhile(Core.While l) {
                return null; // the reverse sweep counts trips: it does not evaluate the condition again
            }

            @Override
            public Void visitIf(Core.If i) {
                return null; // the reverse sweep takes the branch taken from the tape
            }

            @Override
            public Void visitEval(Core.Eval e) {
                return null; // a call with inactive arguments: nothing to differentiate
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                return null; // a guard: no derivative
            }

            @Override
            public Void visitBlock(Core.Block b) {
                return null; // its statements are visited on their own
            }
        }));
    }

    /** Records the plan of an active assignment {@code target = value} at {@code c} and what its reverse reads. */
    private void plan(Core c, Expr target, Expr value) {
        List<Expr> address = target instanceof Expr.ArrayLoad al ? List.of(al.array(), al.index()) : List.of();
        AdjointPlan plan = AdjointPlan.ofReverse(value, activity, address);
        plans.put(c, plan);
        plan.reads().forEach(s -> use(s, c, false));
        plan.derefs().forEach(x -> arrayRead(c, activity.pointsTo().objects(x, c)));
        if (plan.rootNeeded() && target instanceof Expr.Var v) {
            use(v.sym(), c, true);
        }
    }

    /**
     * The reverse sweep addresses the element {@code al} again (to accumulate into or zero its adjoint, or to write
     * the old value back): it reads the variables of the address, and the arrays the address reads elements of
     * ({@code M} for {@code M[i][j]}, {@code idx} for {@code x[idx[k]]}).
     */
    private void readAddress(Expr.ArrayLoad al, Core at) {
        Set<Sym> vars = new LinkedHashSet<>();
        CoreWalk.vars(al.array(), vars);
        CoreWalk.vars(al.index(), vars);
        vars.forEach(s -> use(s, at, false));
        for (Expr part : List.of(al.array(), al.index())) {
            IrWalker.visit(part, x -> {
                if (x instanceof Expr.ArrayLoad inner) {
                    arrayRead(at, activity.pointsTo().objects(inner.array(), at));
                }
            });
        }
    }

    /**
     * Element writes (numbers and rows) that overwrite what the reverse sweep reads. Writing an old element back
     * reads its address, so this runs until no more writes save.
     */
    private void decideElementPushes() {
        List<Core.Assign> writes = new ArrayList<>();
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Assign a && a.target() instanceof Expr.ArrayLoad) {
                writes.add(a);
            }
        });
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Core.Assign a : writes) {
                Expr.ArrayLoad al = (Expr.ArrayLoad) a.target();
                // a row reference written into a matrix is also saved when the reverse sweep reads the matrix
                boolean rowRead = al.type().isArray() && uses.containsKey(CoreWalk.root(al));
                if (!pushes.contains(a) && (rowRead || readBefore(a, activity.pointsTo().objects(al.array(), a)))) {
                    pushes.add(a);
                    readAddress(al, a); // the reverse sweep writes the old element back
                    grew = true;
                }
            }
        }
    }

    /**
     * Whether the reverse sweep reads, of one of {@code arrays}, an element that the write {@code w} overwrites: a
     * read that may come before the write in execution, and after the element's previous write. A read after the
     * write in the code comes before it only in a later trip of a loop around both; when that loop's body covers
     * the array first (writes each of its elements, {@link #covers}), before the statement that holds the write,
     * the element the read saw is written again before {@code w} overwrites it, and that write saves it if need be.
     */
    private boolean readBefore(Core.Assign w, BitSet arrays) {
        for (ArrayRead r : arrayReads) {
            if (!r.arrays().intersects(arrays)) {
                continue;
            }
            int pr = position.get(r.at());
            int pw = position.get(w);
            if (pr <= pw) {
                return true; // earlier in the code, or at the write itself
            }
            Core loop = innermostCommonLoop(r.at(), w);
            if (loop != null && !independent.contains(loop) && !coveredBefore(loop, w)) {
                return true;
            }
        }
        return false;
    }

    private Core innermostCommonLoop(Core a, Core b) {
        Set<Core> around = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Core p = parent.get(a); p != null; p = parent.get(p)) {
            if (p instanceof Core.For || p instanceof Core.While) {
                around.add(p);
            }
        }
        for (Core p = parent.get(b); p != null; p = parent.get(p)) {
            if (around.contains(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Whether the body of {@code loop} covers the array that {@code w} writes before the statement of the body
     * that holds {@code w}: a statement of the body's own block that writes every element of it.
     */
    private boolean coveredBefore(Core loop, Core.Assign w) {
        if (!(w.target() instanceof Expr.ArrayLoad al) || !(al.array() instanceof Expr.Var v)
                || !onceAllocated(v.sym())) {
            return false;
        }
        Core.Block b = loop instanceof Core.For f ? f.body() : ((Core.While) loop).body();
        if (!encloses(b, w)) {
            return false; // a write in a while's test (its preCond) runs before the body: no cover comes between
        }
        for (Core s : b.stmts()) {
            if (encloses(s, w)) {
                return false;
            }
            if (covers(s, v.sym())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the trips of {@code loop} share nothing through {@code array}: it is allocated once, for the whole call
     * ({@link #onceAllocated}), and every statement of the loop that reads it (an element, or the array passed whole;
     * its length does not count) comes after a statement, of a block enclosing the read within the same trip, that
     * writes every element of it ({@link #covers}). Each trip then reads only what it wrote itself.
     *
     * @param loop  a counted loop of the body analysed
     * @param array an array variable
     * @return whether no trip reads an element of {@code array} that an earlier trip wrote
     */
    public boolean tripPrivate(Core.For loop, Sym array) {
        if (!onceAllocated(array)) {
            return false;
        }
        boolean[] ok = {true};
        CoreWalk.forEach(loop.body(), c -> {
            if (!ok[0]) {
                return;
            }
            boolean reads = false;
            for (Expr e : Activity.exprsOf(c)) {
                if (c instanceof Core.Assign a && e == a.target() && e instanceof Expr.ArrayLoad al) {
                    // the element written is no read; its indices are, and so is the array of a row written
                    reads |= readsArray(al.index(), array) || !(al.array() instanceof Expr.Var)
                            && readsArray(al.array(), array);
                } else {
                    reads |= readsArray(e, array);
                }
            }
            if (reads && !coveredInTrip(c, loop.body(), array)) {
                ok[0] = false;
            }
        });
        return ok[0];
    }

    /** @return whether {@code e} reads {@code array}'s elements or passes the array on (its length aside) */
    private static boolean readsArray(Expr e, Sym array) {
        if (e instanceof Expr.Length) {
            return false;
        }
        if (e instanceof Expr.Var v && v.sym() == array) {
            return true;
        }
        for (Expr kid : IrWalker.children(e)) {
            if (readsArray(kid, array)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether a statement of a block around {@code c}, up to {@code trip}, covers {@code array} first */
    private boolean coveredInTrip(Core c, Core.Block trip, Sym array) {
        Core child = c;
        for (Core p = parent.get(c); p != null; child = p, p = parent.get(p)) {
            if (p instanceof Core.Block b) {
                for (Core s : b.stmts()) {
                    if (s == child) {
                        break;
                    }
                    if (covers(s, array)) {
                        return true;
                    }
                }
            }
            if (p == trip) {
                return false;
            }
        }
        return false;
    }

    private boolean encloses(Core outer, Core inner) {
        for (Core p = inner; p != null; p = parent.get(p)) {
            if (p == outer) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code s} writes every element of {@code array}: a counted loop {@code for (k = 0; k < n; k++)}
     * whose own block assigns {@code array[k]}, where {@code n} is {@code array.length} or the length it was
     * allocated with (a constant, or variables that nothing assigns again).
     */
    private boolean covers(Core s, Sym array) {
        if (!(s instanceof Core.For f) || f.step() != 1 || f.cmp() != Expr.BinOp.LT
                || !(f.from() instanceof Expr.Lit l && l.text().equals("0"))) {
            return false;
        }
        boolean lengthBound = f.bound() instanceof Expr.Length len && len.array() instanceof Expr.Var lv
                && lv.sym() == array;
        if (!lengthBound && !(allocatedLength.get(array) != null && IrWalker.same(allocatedLength.get(array),
                f.bound()))) {
            return false;
        }
        for (Core c : f.body().stmts()) {
            if (c instanceof Core.Assign a && a.target() instanceof Expr.ArrayLoad al
                    && al.array() instanceof Expr.Var av && av.sym() == array
                    && al.index() instanceof Expr.Var iv && iv.sym() == f.index()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Arrays that one variable holds for the whole call: declared with {@code new double[n]} by a statement that runs
     * at most once ({@link #onceRun}), never assigned again; the length of each, when nothing assigns its variables
     * again.
     */
    private final Map<Sym, Expr> allocatedLength = new HashMap<>();

    private boolean onceAllocated(Sym s) {
        return allocatedLength.containsKey(s);
    }

    private void findOnceAllocated() {
        Set<Sym> assigned = new java.util.HashSet<>();
        Map<Sym, Integer> declared = new HashMap<>();
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Assign a && a.target() instanceof Expr.Var v) {
                assigned.add(v.sym());
            } else if (c instanceof Core.Declare d) {
                declared.merge(d.sym(), 1, Integer::sum);
            }
        });
        for (Core c : onceRun(body, new ArrayList<>())) {
            if (c instanceof Core.Declare d && d.init() instanceof Expr.NewArray n && n.dims().size() == 1
                    && d.sym().type() == Ty.DOUBLE_ARRAY && !assigned.contains(d.sym())
                    && declared.get(d.sym()) == 1) {
                Set<Sym> vars = new LinkedHashSet<>();
                CoreWalk.vars(n.dims().get(0), vars);
                boolean fixed = true;
                for (Sym x : vars) {
                    fixed &= !assigned.contains(x);
                }
                // a length whose variables change is not comparable with a bound: only array.length bounds then
                allocatedLength.put(d.sym(), fixed ? n.dims().get(0) : null);
            }
        }
    }

    /**
     * @return the statements that run at most once per call: those of the body's own block, and of the blocks and
     *     branches nested in those without a loop between (a guard {@code if (!returned) { ... }} among them)
     */
    public static List<Core> onceRun(Core.Block b, List<Core> into) {
        for (Core c : b.stmts()) {
            into.add(c);
            if (c instanceof Core.Block inner) {
                onceRun(inner, into);
            } else if (c instanceof Core.If i) {
                onceRun(i.then(), into);
                onceRun(i.otherwise(), into);
            }
        }
        return into;
    }

    /**
     * Assignments to variables whose old value a read by the reverse sweep needs. An invertible one (an integer
     * counter, {@code at = at + 1}) is undone by its inverse instead ({@link #inverse}): undoing it reads the
     * counter's new value and the step, which may make more writes save, so this runs until none does.
     */
    private void decideVariablePushes() {
        List<Core.Assign> writes = new ArrayList<>();
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Assign a && a.target() instanceof Expr.Var) {
                writes.add(a);
            }
        });
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Core.Assign a : writes) {
                Sym v = ((Expr.Var) a.target()).sym();
                if (pushes.contains(a)) {
                    continue;
                }
                for (Use u : List.copyOf(uses.getOrDefault(v, List.of()))) {
                    if (precedes(u, a, scopeOf.getOrDefault(v, body))) {
                        pushes.add(a);
                        grew = true;
                        Expr inverse = inverse(a);
                        if (inverse != null) {
                            inverses.put(a, inverse);
                            Set<Sym> vars = new LinkedHashSet<>();
                            CoreWalk.vars(inverse, vars);
                            vars.remove(v);
                            vars.forEach(s -> use(s, a, false));
                            use(v, a, true); // the inverse reads the new value
                        }
                        break;
                    }
                }
            }
        }
    }

    /**
     * @return the value that undoes {@code a} from its target's new value, or null: for an {@code int} or
     *     {@code long} variable stepped by a constant or by another variable of its type ({@code v = v + s},
     *     {@code v = s + v}, {@code v = v - s}), {@code v - s} or {@code v + s}, exact in two's complement
     *     arithmetic even when the step overflows
     */
    static Expr inverse(Core.Assign a) {
        if (!(a.target() instanceof Expr.Var v) || !(v.type() == Ty.INT || v.type() == Ty.LONG)
                || !(a.value() instanceof Expr.Binary b) || b.type() != v.type()) {
            return null;
        }
        Expr step;
        Expr.BinOp back;
        if (b.op() == Expr.BinOp.ADD && isVar(b.left(), v.sym()) && isStep(b.right(), v)) {
            step = b.right();
            back = Expr.BinOp.SUB;
        } else if (b.op() == Expr.BinOp.ADD && isVar(b.right(), v.sym()) && isStep(b.left(), v)) {
            step = b.left();
            back = Expr.BinOp.SUB;
        } else if (b.op() == Expr.BinOp.SUB && isVar(b.left(), v.sym()) && isStep(b.right(), v)) {
            step = b.right();
            back = Expr.BinOp.ADD;
        } else {
            return null;
        }
        return new Expr.Binary(back, new Expr.Var(v.sym(), Pos.NONE), step, v.type(), Pos.NONE);
    }

    private static boolean isVar(Expr e, Sym s) {
        return e instanceof Expr.Var x && x.sym() == s;
    }

    /** A step the reverse sweep can read again: an integer literal, or another variable of an integer type. */
    private static boolean isStep(Expr e, Expr.Var target) {
        if (e instanceof Expr.Lit l) {
            return l.type() == Ty.INT || l.type() == Ty.LONG;
        }
        return e instanceof Expr.Var x && x.sym() != target.sym() && (x.type() == Ty.INT || x.type() == Ty.LONG);
    }

    private boolean precedes(Use u, Core write, Core scope) {
        int pu = position.get(u.at());
        int pw = position.get(write);
        if (pu < pw || (pu == pw && !u.afterWrite())) {
            return true;
        }
        // a common loop inside the variable's scope: an earlier iteration's read precedes this write
        Set<Core> loopsOfUse = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Core p = u.at(); p != null && p != scope; p = parent.get(p)) {
            if (p instanceof Core.For || p instanceof Core.While) {
                loopsOfUse.add(p);
            }
        }
        for (Core p = write; p != null && p != scope; p = parent.get(p)) {
            if ((p instanceof Core.For || p instanceof Core.While) && loopsOfUse.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** How many times each variable is declared, and the variables assigned anywhere (for cheap recompute). */
    private final Map<Sym, Integer> declarationCount = new HashMap<>();
    private final Set<Sym> assignedAnywhere = new java.util.HashSet<>();

    private void decideSaves() {
        boolean elementsFixed = elementsFixed();
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Declare d) {
                declarationCount.merge(d.sym(), 1, Integer::sum);
            } else if (c instanceof Core.Assign a && a.target() instanceof Expr.Var v) {
                assignedAnywhere.add(v.sym());
            }
        });
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Block b && b != body) {
                for (Core s : b.stmts()) {
                    if (s instanceof Core.Declare d && uses.containsKey(d.sym())) {
                        if (recomputable(d, b, elementsFixed)) {
                            recomputes.computeIfAbsent(b, k -> new ArrayList<>()).add(d);
                        } else {
                            saves.computeIfAbsent(b, k -> new ArrayList<>()).add(d.sym());
                        }
                    }
                }
            }
        });
    }

    /** The most operations a local's initializer may have to be computed again rather than saved. */
    private static final int RECOMPUTE_LIMIT = 12;

    /**
     * Cheap recompute: a local of a nested block that the reverse sweep reads is computed again when the reverse
     * sweep enters its block, instead of being saved when the block ends and taken from the tape, when that gives
     * the same value and costs less than the round trip: it is never assigned after its declaration; its
     * initializer has at most {@value #RECOMPUTE_LIMIT} operations and calls no expensive function
     * ({@code dW = sqrtDt * z[p][j]}); and everything the initializer reads holds, in the reverse of the block, what
     * it held in the block: parameters and top-level locals that are never assigned after their declaration, the
     * indices of the counted loops around the block (which the reverse sweep runs again with the same index), and
     * elements only when the method writes none and calls no method.
     */
    private boolean recomputable(Core.Declare d, Core.Block b, boolean elementsFixed) {
        if (d.sym().type().isArray() || assignedAnywhere.contains(d.sym())) {
            return false;
        }
        int[] size = {0};
        boolean[] ok = {true};
        IrWalker.visit(d.init(), x -> {
            size[0]++;
            if (x instanceof Expr.Var v) {
                ok[0] &= stableAround(v.sym(), b);
            } else if (x instanceof Expr.MathCall m) {
                ok[0] &= MathFunctions.isJdkMath(m) && MathFunctions.TOTAL.contains(m.fn()) && !MathFunctions.EXPENSIVE.contains(m.fn());
            } else if (x instanceof Expr.ArrayLoad || x instanceof Expr.Length) {
                ok[0] &= elementsFixed;
            } else {
                ok[0] &= x instanceof Expr.Lit || x instanceof Expr.StaticField || x instanceof Expr.Unary
                        || x instanceof Expr.Binary || x instanceof Expr.Cast || x instanceof Expr.Cond;
            }
        });
        return ok[0] && size[0] <= RECOMPUTE_LIMIT;
    }

    /** @return whether {@code v} holds the same value wherever it is read inside {@code b}, forward or reverse */
    private boolean stableAround(Sym v, Core.Block b) {
        Core scope = scopeOf.get(v);
        if (scope instanceof Core.For f && f.index() == v) {
            for (Core p = b; p != null; p = parent.get(p)) {
                if (p == f) {
                    return true;
                }
            }
            return false;
        }
        int declared = declarationCount.getOrDefault(v, 0);
        if (v.isParam()) {
            return declared == 0 && !assignedAnywhere.contains(v);
        }
        return scope == body && declared == 1 && !assignedAnywhere.contains(v);
    }

    /** @return whether no statement of the method writes an element or calls a method (which may write one) */
    private boolean elementsFixed() {
        return !CoreWalk.mayWriteElements(body);
    }

    /** @return whether the forward sweep saves the old value before this assignment */
    public boolean pushes(Core assign) {
        return pushes.contains(assign);
    }

    /**
     * @return for an assignment that {@link #pushes} whose old value its inverse gives back ({@code at = at + 1}
     *     is undone by {@code at = at - 1}), that inverse, which the reverse sweep assigns instead of taking the old
     *     value from the tape; null otherwise
     */
    public Expr inverseOf(Core assign) {
        return inverses.get(assign);
    }

    /** @return the variables declared in {@code block} that the forward sweep saves when the block ends */
    public List<Sym> saves(Core.Block block) {
        return saves.getOrDefault(block, List.of());
    }

    /**
     * @return the declarations of locals of {@code block} that the reverse sweep reads and computes again when it
     *     enters the block, instead of saving them ({@link #recomputable cheap recompute})
     */
    public List<Core.Declare> recomputes(Core.Block block) {
        return recomputes.getOrDefault(block, List.of());
    }

    /** @return the plan of an active assignment or declaration, or null */
    public AdjointPlan plan(Core stmt) {
        return plans.get(stmt);
    }

}
