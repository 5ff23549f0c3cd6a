package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Rules;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the reverse sweep of one assignment {@code target = value} needs: which nodes of {@code value} must have
 * their values (because a rule's partial derivative reads them), and so which variables and array elements the
 * reverse sweep reads. The to-be-recorded analysis ({@link Tbr}) saves exactly what these plans read and the
 * forward sweep overwrites; the reverse transform emits from the same plan.
 */
public final class AdjointPlan {
    private final Activity activity;
    private final Set<Expr> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Sym> reads = new LinkedHashSet<>();
    private final Set<Expr> derefs = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Expr> stored = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean rootNeeded;
    /** Whether the value itself may be stored: the target is an array element ({@link #ofReverse}). */
    private boolean storesRoot;
    private final Expr root;

    private AdjointPlan(Expr root, Activity activity) {
        this.root = root;
        this.activity = activity;
    }

    /**
     * @param value    an active value
     * @param activity the activity analysis
     * @return its plan
     */
    public static AdjointPlan of(Expr value, Activity activity) {
        AdjointPlan p = new AdjointPlan(value, activity);
        p.walk(value);
        for (Expr n : p.needed) {
            if (n == value) {
                p.rootNeeded = true;
            }
            p.readAll(n);
        }
        return p;
    }

    /**
     * The plan of an assignment's reverse sweep, deciding between recomputing and storing: a node whose value a
     * rule reads and whose recomputation would call an expensive function ({@link #EXPENSIVE}, or a user's
     * function with a rule) is stored by the forward sweep instead ({@link #isStored}), so the reverse sweep reads
     * neither the function again nor the variables it reads. Storing moves the node's evaluation to just before
     * the statement; a node is stored only where that cannot change what the statement does: when it can neither
     * throw nor have an effect, or when everything Java evaluates before it is pure and cannot throw.
     *
     * @param value      an active value
     * @param activity   the activity analysis
     * @param targetAddr the target's array and index expressions, which Java evaluates before the value (none for
     *                   a variable)
     * @return its plan
     */
    public static AdjointPlan ofReverse(Expr value, Activity activity, List<Expr> targetAddr) {
        AdjointPlan p = new AdjointPlan(value, activity);
        p.walk(value);
        boolean safe = true;
        for (Expr a : targetAddr) {
            safe &= isSafe(a);
        }
        // the value itself, when a rule reads it: a variable target holds it for the reverse sweep, an element may
        // be overwritten before it, so that one is stored like any other node (a[j] = Math.tanh(z))
        p.storesRoot = !targetAddr.isEmpty();
        p.chooseStored(value, safe, false);
        for (Expr n : p.needed) {
            if (n == value) {
                p.rootNeeded = true;
            }
            if (!p.stored.contains(n)) {
                p.readAll(n);
            }
        }
        return p;
    }

    /** Functions whose recomputation costs more than a value's round trip through the tape. */
    static final Set<String> EXPENSIVE = dev.adjoint.processor.rules.MathFunctions.EXPENSIVE;

    /** {@code Math} functions that never throw, whatever their arguments. */
    private static final Set<String> TOTAL = dev.adjoint.processor.rules.MathFunctions.TOTAL;

    private static boolean isMath(Expr.MathCall c) {
        return dev.adjoint.processor.rules.MathFunctions.isJdkMath(c);
    }

    /**
     * Marks, bottom-up, the nodes to store; {@code safeBefore} says whether everything Java evaluates before
     * {@code n} is pure and cannot throw, {@code conditional} whether {@code n} may not be evaluated at all.
     *
     * @return whether recomputing {@code n} in the reverse sweep would call an expensive function
     */
    private boolean chooseStored(Expr n, boolean safeBefore, boolean conditional) {
        List<Expr> kids = IrWalker.children(n);
        boolean safe = safeBefore;
        boolean costly = false;
        boolean branches = n instanceof Expr.Cond || (n instanceof Expr.Binary b
                && (b.op() == Expr.BinOp.AND || b.op() == Expr.BinOp.OR));
        for (int k = 0; k < kids.size(); k++) {
            Expr kid = kids.get(k);
            costly |= chooseStored(kid, safe, conditional || (branches && k > 0));
            safe &= isSafe(kid);
        }
        if (n instanceof Expr.MathCall c && (!isMath(c) || EXPENSIVE.contains(c.fn()))) {
            costly = true;
        }
        // only doubles: an int operand of a function with a rule ((int) (3 * Math.sin(x))) is recomputed
        if (costly && needed.contains(n) && (n != root || storesRoot) && !isLeaf(n) && !conditional
                && n.type() == dev.adjoint.processor.ir.Ty.DOUBLE && (safeBefore || isSafe(n))) {
            stored.add(n);
            return false; // the reverse sweep reads it from the tape
        }
        return costly;
    }

    /** @return whether evaluating {@code e} is pure and cannot throw (no element read, call of a user's, ...) */
    static boolean isSafe(Expr e) {
        boolean[] ok = {true};
        IrWalker.visit(e, x -> {
            if (x instanceof Expr.Lit || x instanceof Expr.Var || x instanceof Expr.StaticField
                    || x instanceof Expr.Unary || x instanceof Expr.Cast || x instanceof Expr.Cond) {
                return;
            }
            if (x instanceof Expr.Binary b) {
                if ((b.op() == Expr.BinOp.DIV || b.op() == Expr.BinOp.REM) && b.type() != dev.adjoint.processor.ir.Ty.DOUBLE) {
                    ok[0] = false; // integer division by zero throws
                }
                return;
            }
            if (x instanceof Expr.MathCall c && isMath(c) && TOTAL.contains(c.fn())) {
                return;
            }
            ok[0] = false;
        });
        return ok[0];
    }

    private void walk(Expr n) {
        if (!activity.isActive(n) || isLeaf(n)) {
            if (n instanceof Expr.ArrayLoad al && activity.isActive(n)) {
                readAll(al.array());
                readAll(al.index());
            }
            return;
        }
        Rule rule = activity.rule(n);
        List<Expr> args = args(n);
        if (activity.calls(n) != null) {
            // its pullback reads every argument, an array's every element (a matrix's rows' too)
            for (Expr a : args) {
                needed.add(a);
                if (a.type().isArray()) {
                    derefs.add(a);
                    if (a.type() == dev.adjoint.processor.ir.Ty.DOUBLE_MATRIX) {
                        derefs.add(new Expr.ArrayLoad(a, new Expr.Lit("0", dev.adjoint.processor.ir.Ty.INT,
                                a.pos()), a.pos()));
                    }
                }
            }
        } else if (rule != null) {
            for (int k = 0; k < args.size(); k++) {
                if (!activity.isActive(args.get(k))) {
                    continue;
                }
                boolean others = othersActive(args, k);
                for (int j = -1; j < args.size(); j++) {
                    if (rule.reads(k, others, j)) {
                        needed.add(j < 0 ? n : args.get(j));
                    }
                }
            }
        }
        for (Expr a : args) {
            walk(a);
        }
    }

    /** @return whether any argument other than {@code k} is active */
    public boolean othersActive(List<Expr> args, int k) {
        for (int j = 0; j < args.size(); j++) {
            if (j != k && activity.isActive(args.get(j))) {
                return true;
            }
        }
        return false;
    }

    private void readAll(Expr e) {
        IrWalker.visit(e, x -> {
            if (x instanceof Expr.Var v) {
                reads.add(v.sym());
            } else if (x instanceof Expr.ArrayLoad al) {
                derefs.add(al.array());
            }
        });
    }

    /** @return whether the node is a leaf of propagation: a variable or an array element */
    public static boolean isLeaf(Expr e) {
        return e instanceof Expr.Var || e instanceof Expr.ArrayLoad;
    }

    /**
     * @return the arguments a rule sees: the operands of an operator, the arguments of a function; none for a leaf
     *     of propagation or a constant of differentiation, through which no derivative flows to an operand
     */
    public static List<Expr> args(Expr n) {
        return n.accept(ARGS);
    }

    private static final Expr.Visitor<List<Expr>> ARGS = new Expr.Visitor<>() {
        @Override
        public List<Expr> visitBinary(Expr.Binary e) {
            return List.of(e.left(), e.right());
        }

        @Override
        public List<Expr> visitUnary(Expr.Unary e) {
            return List.of(e.operand());
        }

        @Override
        public List<Expr> visitCast(Expr.Cast e) {
            return List.of(e.operand());
        }

        @Override
        public List<Expr> visitMathCall(Expr.MathCall e) {
            return e.args();
        }

        // leaves of propagation: their adjoint is accumulated, not passed on

        @Override
        public List<Expr> visitVar(Expr.Var e) {
            return List.of();
        }

        @Override
        public List<Expr> visitArrayLoad(Expr.ArrayLoad e) {
            return List.of();
        }

        // constants of differentiation: never active, so no rule passes a derivative into their operands

        @Override
        public List<Expr> visitLit(Expr.Lit e) {
            return List.of();
        }

        @Override
        public List<Expr> visitStaticField(Expr.StaticField e) {
            return List.of();
        }

        @Override
        public List<Expr> visitLength(Expr.Length e) {
            return List.of();
        }

        @Override
        public List<Expr> visitNewArray(Expr.NewArray e) {
            return List.of();
        }

        @Override
        public List<Expr> visitCall(Expr.Call e) {
            return List.of();
        }

        // active ones are rewritten by Expand before any plan is made; the rest never reach analysis

        @Override
        public List<Expr> visitCond(Expr.Cond e) {
            throw notPlanned(e);
        }

        @Override
        public List<Expr> visitArrayInit(Expr.ArrayInit e) {
            throw notPlanned(e);
        }

        @Override
        public List<Expr> visitAssign(Expr.Assign e) {
            throw notPlanned(e);
        }

        @Override
        public List<Expr> visitIncDec(Expr.IncDec e) {
            throw notPlanned(e);
        }

        @Override
        public List<Expr> visitHole(Expr.Hole e) {
            throw notPlanned(e);
        }

        @Override
        public List<Expr> visitPop(Expr.Pop e) {
            throw notPlanned(e);
        }
    };

    private static IllegalStateException notPlanned(Expr e) {
        return new IllegalStateException("the operands of " + e.getClass().getSimpleName() + " in a planned value "
                + "(Expand rewrites an active ?: or initializer; lowering leaves no assignment): " + e);
    }

    /** @return whether the node's value is read by some rule (so it gets a temporary, or is a leaf) */
    public boolean isNeeded(Expr n) {
        return needed.contains(n);
    }

    /**
     * @return whether the forward sweep stores this node's value for the reverse sweep (a plan made by
     *     {@link #ofReverse}), rather than the reverse sweep computing it again
     */
    public boolean isStored(Expr n) {
        return stored.contains(n);
    }

    /** @return the stored nodes, children before their parents, in the order the forward sweep stores them */
    public List<Expr> storedInOrder() {
        List<Expr> out = new java.util.ArrayList<>();
        collectStored(root, out);
        return out;
    }

    private void collectStored(Expr n, List<Expr> out) {
        for (Expr k : IrWalker.children(n)) {
            collectStored(k, out);
        }
        if (stored.contains(n)) {
            out.add(n);
        }
    }

    /** @return whether the value of the whole expression is read (a rule of its root reads its result) */
    public boolean rootNeeded() {
        return rootNeeded;
    }

    /** @return the variables the reverse sweep reads for this assignment (values and array references) */
    public Set<Sym> reads() {
        return reads;
    }

    /**
     * @return the array expressions whose elements the reverse sweep reads ({@code M[i]} and {@code M} for a read of
     *     {@code M[i][j]}), evaluated where the planned statement is
     */
    public Set<Expr> derefs() {
        return derefs;
    }

    /** @return the expression planned */
    public Expr root() {
        return root;
    }
}
