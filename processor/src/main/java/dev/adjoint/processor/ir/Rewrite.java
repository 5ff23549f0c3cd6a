package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Rebuilds expressions: the one place that knows how to put a node back together with new children. */
public final class Rewrite {
    private Rewrite() {}

    /**
     * @return {@code e} with each direct sub-expression replaced by {@code f} of it; {@code e} itself when nothing
     *     changed
     */
    public static Expr children(Expr e, UnaryOperator<Expr> f) {
        return e.accept(new Expr.Visitor<Expr>() {
            @Override
            public Expr visitLit(Expr.Lit n) {
                return n;
            }

            @Override
            public Expr visitVar(Expr.Var n) {
                return n;
            }

            @Override
            public Expr visitStaticField(Expr.StaticField n) {
                return n;
            }

            @Override
            public Expr visitHole(Expr.Hole n) {
                return n;
            }

            @Override
            public Expr visitPop(Expr.Pop n) {
                return n;
            }

            @Override
            public Expr visitArrayLoad(Expr.ArrayLoad n) {
                Expr a = f.apply(n.array());
                Expr i = f.apply(n.index());
                return a == n.array() && i == n.index() ? n : new Expr.ArrayLoad(a, i, n.pos());
            }

            @Override
            public Expr visitLength(Expr.Length n) {
                Expr a = f.apply(n.array());
                return a == n.array() ? n : new Expr.Length(a, n.pos());
            }

            @Override
            public Expr visitUnary(Expr.Unary n) {
                Expr o = f.apply(n.operand());
                return o == n.operand() ? n : new Expr.Unary(n.op(), o, n.type(), n.pos());
            }

            @Override
            public Expr visitBinary(Expr.Binary n) {
                Expr l = f.apply(n.left());
                Expr r = f.apply(n.right());
                return l == n.left() && r == n.right() ? n : new Expr.Binary(n.op(), l, r, n.type(), n.pos());
            }

            @Override
            public Expr visitCond(Expr.Cond n) {
                Expr c = f.apply(n.cond());
                Expr t = f.apply(n.then());
                Expr o = f.apply(n.otherwise());
                return c == n.cond() && t == n.then() && o == n.otherwise() ? n
                        : new Expr.Cond(c, t, o, n.type(), n.pos());
            }

            @Override
            public Expr visitCast(Expr.Cast n) {
                Expr o = f.apply(n.operand());
                return o == n.operand() ? n : new Expr.Cast(n.type(), o, n.pos());
            }

            @Override
            public Expr visitMathCall(Expr.MathCall n) {
                List<Expr> args = map(n.args(), f);
                return args == null ? n : new Expr.MathCall(n.callee(), args, n.pos());
            }

            @Override
            public Expr visitCall(Expr.Call n) {
                List<Expr> args = map(n.args(), f);
                return args == null ? n : new Expr.Call(n.callee(), args, n.pos());
            }

            @Override
            public Expr visitNewArray(Expr.NewArray n) {
                List<Expr> dims = map(n.dims(), f);
                return dims == null ? n : new Expr.NewArray(n.type(), dims, n.pos());
            }

            @Override
            public Expr visitArrayInit(Expr.ArrayInit n) {
                List<Expr> els = map(n.elements(), f);
                return els == null ? n : new Expr.ArrayInit(n.type(), els, n.pos());
            }

            @Override
            public Expr visitAssign(Expr.Assign n) {
                Expr t = f.apply(n.target());
                Expr v = f.apply(n.value());
                return t == n.target() && v == n.value() ? n : new Expr.Assign(t, n.op(), v, n.pos());
            }

            @Override
            public Expr visitIncDec(Expr.IncDec n) {
                Expr t = f.apply(n.target());
                return t == n.target() ? n : new Expr.IncDec(t, n.increment(), n.prefix(), n.pos());
            }
        });
    }

    /** @return {@code e} rebuilt bottom-up, each node (after its children) replaced by {@code f} of it */
    public static Expr bottomUp(Expr e, UnaryOperator<Expr> f) {
        return f.apply(children(e, x -> bottomUp(x, f)));
    }

    /**
     * @return {@code e} with every node for which {@code replacement} gives non-null replaced by that, top-down
     *     (a replaced node's children are not visited)
     */
    public static Expr substitute(Expr e, Function<Expr, Expr> replacement) {
        Expr r = replacement.apply(e);
        if (r != null) {
            return r;
        }
        return children(e, x -> substitute(x, replacement));
    }

    private static List<Expr> map(List<Expr> xs, UnaryOperator<Expr> f) {
        List<Expr> out = new ArrayList<>(xs.size());
        boolean same = true;
        for (Expr x : xs) {
            Expr y = f.apply(x);
            same &= y == x;
            out.add(y);
        }
        return same ? null : out;
    }
}
