package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.Lowering;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings active values into the form the rules expect: a {@code ?:} that chooses between active values becomes an
 * {@code if} that assigns a temporary (so only the branch taken is differentiated), and an array initializer with
 * active elements becomes an allocation and one assignment per element.
 */
public final class Expand {
    private final Activity activity;
    private final Names names;
    private int nextId;
    private boolean changed;

    private Expand(Activity activity, Names names, int nextId) {
        this.activity = activity;
        this.names = names;
        this.nextId = nextId;
    }

    /** The expanded body, and the next free symbol id. */
    public record Expanded(Core.Block body, int nextSymId, boolean changed) {}

    /**
     * @param body     the lowered body
     * @param activity its activity
     * @param names    the method's names
     * @param nextId   the next free symbol id
     * @return the expanded body ({@code changed} tells whether anything was rewritten; its statements are new
     *     nodes either way)
     */
    public static Expanded expand(Core.Block body, Activity activity, Names names, int nextId) {
        Expand e = new Expand(activity, names, nextId);
        Core.Block out = e.block(body);
        return new Expanded(out, e.nextId, e.changed);
    }

    private Core.Block block(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            stmt(c, out);
        }
        return new Core.Block(out, b.pos());
    }

    private void stmt(Core c, List<Core> out) {
        if (c instanceof Core.Block b) {
            out.add(block(b));
        } else if (c instanceof Core.If i) {
            out.add(new Core.If(i.cond(), block(i.then()), block(i.otherwise()), i.pos()));
        } else if (c instanceof Core.For f) {
            out.add(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(), block(f.body()), f.pos()));
        } else if (c instanceof Core.While l) {
            out.add(new Core.While(block(l.preCond()), l.cond(), block(l.body()), block(l.update()), l.testFirst(),
                    l.pos()));
        } else if (c instanceof Core.Declare d) {
            if (d.init() instanceof Expr.ArrayInit init && activity.isActive(init)) {
                changed = true;
                out.add(new Core.Declare(d.sym(), allocation(init), d.pos()));
                fill(new Expr.Var(d.sym(), d.pos()), init, out);
            } else {
                out.add(new Core.Declare(d.sym(), value(d.init(), out), d.pos()));
            }
        } else if (c instanceof Core.Assign a) {
            if (a.value() instanceof Expr.ArrayInit init && activity.isActive(init)) {
                changed = true;
                out.add(new Core.Assign(a.target(), allocation(init), a.pos()));
                fill(a.target(), init, out);
            } else {
                out.add(new Core.Assign(a.target(), value(a.value(), out), a.pos()));
            }
        } else {
            out.add(c);
        }
    }

    private static Expr allocation(Expr.ArrayInit init) {
        Expr len = new Expr.Lit(Integer.toString(init.elements().size()), Ty.INT, init.pos());
        return new Expr.NewArray(init.type(), List.of(len), init.pos());
    }

    private void fill(Expr array, Expr.ArrayInit init, List<Core> out) {
        for (int k = 0; k < init.elements().size(); k++) {
            Expr index = new Expr.Lit(Integer.toString(k), Ty.INT, init.pos());
            Expr slot = new Expr.ArrayLoad(array, index, init.pos());
            Expr el = init.elements().get(k);
            if (el instanceof Expr.ArrayInit row) {
                out.add(new Core.Assign(slot, allocation(row), init.pos()));
                fill(slot, row, out);
            } else {
                out.add(new Core.Assign(slot, value(el, out), init.pos()));
            }
        }
    }

    /** Replaces each active {@code ?:} in an active value by a temporary assigned in an {@code if}. */
    private Expr value(Expr e, List<Core> out) {
        if (e == null || !activity.isActive(e) && !(e.type().isArray() && e instanceof Expr.Cond)) {
            return e;
        }
        if (e instanceof Expr.Cond c) {
            changed = true;
            Sym t = new Sym(nextId++, names.fresh("choice"), c.type(), -1);
            out.add(new Core.Declare(t, Lowering.zero(c.type()), c.pos()));
            List<Core> then = new ArrayList<>();
            then.add(new Core.Assign(new Expr.Var(t, c.pos()), value(c.then(), then), c.pos()));
            List<Core> otherwise = new ArrayList<>();
            otherwise.add(new Core.Assign(new Expr.Var(t, c.pos()), value(c.otherwise(), otherwise), c.pos()));
            out.add(new Core.If(c.cond(), new Core.Block(then, Pos.NONE), new Core.Block(otherwise, Pos.NONE),
                    c.pos()));
            return new Expr.Var(t, c.pos());
        } else if (e instanceof Expr.Binary b) {
            Expr l = value(b.left(), out);
            Expr r = value(b.right(), out);
            return l == b.left() && r == b.right() ? e : new Expr.Binary(b.op(), l, r, b.type(), b.pos());
        } else if (e instanceof Expr.Unary u) {
            Expr o = value(u.operand(), out);
            return o == u.operand() ? e : new Expr.Unary(u.op(), o, u.type(), u.pos());
        } else if (e instanceof Expr.Cast c) {
            Expr o = value(c.operand(), out);
            return o == c.operand() ? e : new Expr.Cast(c.type(), o, c.pos());
        } else if (e instanceof Expr.MathCall m) {
            List<Expr> args = new ArrayList<>();
            boolean same = true;
            for (Expr a : m.args()) {
                Expr x = value(a, out);
                same &= x == a;
                args.add(x);
            }
            return same ? e : new Expr.MathCall(m.callee(), args, m.pos());
        }
        return e;
    }

}
