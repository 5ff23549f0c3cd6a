package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local arrays of a derivative that a reusable result can own, so that a warm call of the reuse form allocates
 * nothing. A candidate is a {@code double[]} or rectangular {@code double[][]} local declared in the sweeps'
 * top-level block with {@code new double[n]} or {@code new double[r][c]}, or an adjoint array made in another
 * array's shape ({@code Buffers.like(m)}), so made once per call: the primal's arrays and the adjoint or tangent
 * arrays beside them alike. It is owned by the result when no array it may be
 * can outlive the call or change shape.
 *
 * <p>The arrays a candidate may be are followed through the variables that may hold them: an array variable
 * assigned a candidate, a row of one ({@code double[] h = hidden[layer]}), either arm of a {@code ?:} of them, or a
 * reference the tape gives back, joins the candidate's class (and with it every other array that variable may
 * hold). The class is owned only if none of its variables is used but through an element, a length, such an
 * assignment, or a save or restore on the tape (which the next call resets): never passed to a method, returned,
 * stored into an array, compared or tested; and, when the class holds a matrix, no row of an array of the class is
 * replaced, so that the rows the next call zeroes are the ones {@code new double[r][c]} would make. Handing the
 * next call the same arrays, zeroed, is then what {@code new} gives it.
 */
public final class Scratch {
    private Scratch() {}

    /**
     * @param forward the forward sweep
     * @param reverse the reverse sweep (it runs after the forward one, in the same scope); empty for a JVP
     * @param result  the local holding the method's result, which the entry point hands out (its value copied)
     * @return the arrays, in the order they are declared
     */
    public static List<Sym> arrays(Core.Block forward, Core.Block reverse, Sym result) {
        Set<Sym> candidates = new LinkedHashSet<>();
        Map<Sym, Integer> declarations = new HashMap<>();
        for (Core c : forward.stmts()) {
            if (c instanceof Core.Declare d && (d.init() instanceof Expr.NewArray n
                    && (d.sym().type() == Ty.DOUBLE_ARRAY && n.dims().size() == 1
                            || d.sym().type() == Ty.DOUBLE_MATRIX && n.dims().size() == 2)
                    || isZerosLike(d.init()))) {
                candidates.add(d.sym());
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Uses uses = new Uses(declarations);
        forward.accept(uses);
        reverse.accept(uses);
        if (result != null) {
            uses.escaping.add(result);
        }
        Map<Sym, Boolean> classOwned = new HashMap<>();
        for (Sym s : uses.classes.keySet()) {
            Sym root = uses.find(s);
            boolean ok = !uses.escaping.contains(s) && !(uses.rowStored.contains(s));
            classOwned.merge(root, ok, Boolean::logicalAnd);
        }
        List<Sym> out = new ArrayList<>();
        for (Sym s : candidates) {
            if (declarations.getOrDefault(s, 0) == 1 && classOwned.getOrDefault(uses.find(s), true)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * @return whether {@code e} is an adjoint array made in an array's shape ({@code Buffers.like(hidden)}), which a
     *     result can own as it owns the array itself
     */
    public static boolean isZerosLike(Expr e) {
        return e instanceof Expr.Call c && Shadows.isZerosLike(c) && c.args().get(0) instanceof Expr.Var;
    }

    /** The classes of array variables, the ones used other than allowed, and the declarations. */
    private static final class Uses implements Core.Visitor<Void> {
        /** Union-find over array variables; {@link #TAPE} stands for the references the tape holds. */
        final Map<Sym, Sym> classes = new HashMap<>();
        final Set<Sym> escaping = new HashSet<>();
        final Set<Sym> rowStored = new HashSet<>();
        private final Map<Sym, Integer> declarations;
        private final Sym tape = new Sym(-1, "(tape)", Ty.DOUBLE_MATRIX, -1);

        Uses(Map<Sym, Integer> declarations) {
            this.declarations = declarations;
        }

        Sym find(Sym s) {
            Sym p = classes.computeIfAbsent(s, k -> k);
            if (p != s) {
                p = find(p);
                classes.put(s, p);
            }
            return p;
        }

        private void union(Sym a, Sym b) {
            Sym ra = find(a);
            Sym rb = find(b);
            if (ra != rb) {
                classes.put(ra, rb);
            }
        }

        /**
         * An array-valued expression whose array a variable takes (or the tape keeps): its variables join
         * {@code into}'s class; what is not such a variable, a row of one or a {@code ?:} of them is scanned.
         */
        private void flowsInto(Sym into, Expr e) {
            if (e instanceof Expr.Var v && v.type().isArray()) {
                union(into, v.sym());
            } else if (e instanceof Expr.ArrayLoad al && e.type().isArray()) {
                Sym root = root(al);
                if (root != null) {
                    union(into, root);
                }
                scanIndices(al);
            } else if (e instanceof Expr.Cond c && e.type().isArray()) {
                scan(c.cond(), false);
                flowsInto(into, c.then());
                flowsInto(into, c.otherwise());
            } else {
                scan(e, false);
            }
        }

        private static Sym root(Expr e) {
            while (e instanceof Expr.ArrayLoad al) {
                e = al.array();
            }
            return e instanceof Expr.Var v ? v.sym() : null;
        }

        private void scanIndices(Expr e) {
            while (e instanceof Expr.ArrayLoad al) {
                scan(al.index(), false);
                e = al.array();
            }
            if (!(e instanceof Expr.Var)) {
                scan(e, false);
            }
        }

        /**
         * Scans an expression for array variables used other than through an element or a length: an array-valued
         * variable or row where {@code arrayHere} is false escapes.
         */
        private void scan(Expr e, boolean arrayHere) {
            if (e instanceof Expr.Var v) {
                if (v.type().isArray() && !arrayHere) {
                    escaping.add(v.sym());
                    find(v.sym());
                }
                return;
            }
            if (e instanceof Expr.ArrayLoad al) {
                if (e.type().isArray() && !arrayHere) {
                    Sym root = root(al);
                    if (root != null) {
                        escaping.add(root);
                        find(root);
                    }
                }
                scan(al.array(), true);
                scan(al.index(), false);
                return;
            }
            if (e instanceof Expr.Length l) {
                scan(l.array(), true);
                return;
            }
            for (Expr kid : dev.adjoint.processor.ir.IrWalker.children(e)) {
                scan(kid, false);
            }
        }

        /** An element or row write's target: its array is addressed; a row write replaces a row. */
        private void target(Expr t) {
            if (t instanceof Expr.ArrayLoad al) {
                if (t.type().isArray()) {
                    Sym root = root(al);
                    if (root != null) {
                        rowStored.add(root);
                        find(root);
                    }
                }
                scan(al.array(), true);
                scan(al.index(), false);
            }
        }

        private void block(Core.Block b) {
            for (Core c : b.stmts()) {
                c.accept(this);
            }
        }

        @Override
        public Void visitBlock(Core.Block c) {
            block(c);
            return null;
        }

        @Override
        public Void visitDeclare(Core.Declare c) {
            declarations.merge(c.sym(), 1, Integer::sum);
            if (c.sym().type().isArray()) {
                if (c.init() instanceof Expr.NewArray n) {
                    find(c.sym());
                    n.dims().forEach(d -> scan(d, false));
                } else if (isZerosLike(c.init())) {
                    find(c.sym());
                    scan(((Expr.Call) c.init()).args().get(0), true); // its shape is read
                } else {
                    flowsInto(c.sym(), c.init());
                }
            } else {
                scan(c.init(), false);
            }
            return null;
        }

        @Override
        public Void visitAssign(Core.Assign c) {
            if (c.target() instanceof Expr.Var v && v.type().isArray()) {
                if (c.value() instanceof Expr.NewArray n) {
                    find(v.sym());
                    n.dims().forEach(d -> scan(d, false));
                } else {
                    flowsInto(v.sym(), c.value());
                }
                return null;
            }
            target(c.target());
            scan(c.value(), false); // a row stored: the array stored escapes into the matrix
            return null;
        }

        @Override
        public Void visitEval(Core.Eval c) {
            scan(c.call(), false);
            return null;
        }

        @Override
        public Void visitIf(Core.If c) {
            scan(c.cond(), false);
            block(c.then());
            block(c.otherwise());
            return null;
        }

        @Override
        public Void visitFor(Core.For c) {
            scan(c.from(), false);
            scan(c.bound(), false);
            block(c.body());
            return null;
        }

        @Override
        public Void visitWhile(Core.While c) {
            block(c.preCond());
            scan(c.cond(), false);
            block(c.body());
            block(c.update());
            return null;
        }

        @Override
        public Void visitThrow(Core.Throw c) {
            return null;
        }

        @Override
        public Void visitSave(Core.Save c) {
            if (c.value().type().isArray()) {
                flowsInto(tape, c.value());
            } else {
                scan(c.value(), false);
            }
            return null;
        }

        @Override
        public Void visitRestore(Core.Restore c) {
            if (c.target() instanceof Expr.Var v && v.type().isArray()) {
                union(v.sym(), tape);
            } else {
                target(c.target());
                if (c.target().type().isArray()) {
                    Sym root = root(c.target());
                    if (root != null) {
                        union(root, tape);
                    }
                }
            }
            return null;
        }

        @Override
        public Void visitAccumulate(Core.Accumulate c) {
            target(c.adjoint());
            scan(c.term(), false);
            return null;
        }

        @Override
        public Void visitZero(Core.Zero c) {
            target(c.adjoint());
            return null;
        }

        @Override
        public Void visitSwitch(Core.Switch c) {
            scan(c.selector(), false);
            c.cases().forEach(this::block);
            return null;
        }

        @Override
        public Void visitNote(Core.Note c) {
            return null; // a comment
        }
    }
}
