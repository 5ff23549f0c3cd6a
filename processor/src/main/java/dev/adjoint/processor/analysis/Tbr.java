package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.lower.CoreWalk;
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
 *       its block ends, and taken back when the reverse sweep enters that block.</li>
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
    private final Set<Core> pushes = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Core.Block, List<Sym>> saves = new IdentityHashMap<>();
    private final Map<Core, AdjointPlan> plans = new IdentityHashMap<>();

    private record Use(Core at, boolean afterWrite) {}

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
        Tbr t = new Tbr(body, activity);
        t.number(body, null);
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
        AdjointPlan plan = AdjointPlan.of(value, activity);
        plans.put(c, plan);
        plan.reads().forEach(s -> use(s, c, false));
        plan.derefs().forEach(x -> readArrays.or(activity.pointsTo().objects(x, c)));
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
                    readArrays.or(activity.pointsTo().objects(inner.array(), at));
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
                if (!pushes.contains(a)
                        && (rowRead || activity.pointsTo().objects(al.array(), a).intersects(readArrays))) {
                    pushes.add(a);
                    readAddress(al, a); // the reverse sweep writes the old element back
                    grew = true;
                }
            }
        }
    }

    private void decideVariablePushes() {
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Assign a && a.target() instanceof Expr.Var v) {
                for (Use u : uses.getOrDefault(v.sym(), List.of())) {
                    if (precedes(u, c, scopeOf.getOrDefault(v.sym(), body))) {
                        pushes.add(c);
                        break;
                    }
                }
            }
        });
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

    private void decideSaves() {
        CoreWalk.forEach(body, c -> {
            if (c instanceof Core.Block b && b != body) {
                for (Core s : b.stmts()) {
                    if (s instanceof Core.Declare d && uses.containsKey(d.sym())) {
                        saves.computeIfAbsent(b, k -> new ArrayList<>()).add(d.sym());
                    }
                }
            }
        });
    }

    /** @return whether the forward sweep saves the old value before this assignment */
    public boolean pushes(Core assign) {
        return pushes.contains(assign);
    }

    /** @return the variables declared in {@code block} that the forward sweep saves when the block ends */
    public List<Sym> saves(Core.Block block) {
        return saves.getOrDefault(block, List.of());
    }

    /** @return the plan of an active assignment or declaration, or null */
    public AdjointPlan plan(Core stmt) {
        return plans.get(stmt);
    }

}
