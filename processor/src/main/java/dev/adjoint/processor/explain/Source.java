package dev.adjoint.processor.explain;

import dev.adjoint.processor.ir.Expr;
import java.util.ArrayList;
import java.util.List;

/** Expressions of the method as the explanation writes them: names, elements and conditions, close to the source. */
final class Source {
    private Source() {}

    /** @return {@code e} as text: {@code x[i]}, {@code X[i][j]}, {@code k < n}, {@code a.length} */
    static String text(Expr e) {
        if (e instanceof Expr.Var v) {
            return v.sym().name();
        } else if (e instanceof Expr.Lit l) {
            return l.text();
        } else if (e instanceof Expr.ArrayLoad al) {
            return text(al.array()) + "[" + text(al.index()) + "]";
        } else if (e instanceof Expr.Length l) {
            return text(l.array()) + ".length";
        } else if (e instanceof Expr.Binary b) {
            return operand(b.left()) + " " + b.op().symbol + " " + operand(b.right());
        } else if (e instanceof Expr.Unary u) {
            return u.op().symbol + operand(u.operand());
        } else if (e instanceof Expr.Cast c) {
            return "(" + c.type().java() + ") " + operand(c.operand());
        } else if (e instanceof Expr.MathCall m) {
            return m.fn() + "(" + args(m.args()) + ")";
        } else if (e instanceof Expr.Call c) {
            return c.callee().name() + "(" + args(c.args()) + ")";
        } else if (e instanceof Expr.Cond c) {
            return operand(c.cond()) + " ? " + operand(c.then()) + " : " + operand(c.otherwise());
        }
        return "…";
    }

    private static String operand(Expr e) {
        boolean simple = e instanceof Expr.Var || e instanceof Expr.Lit || e instanceof Expr.ArrayLoad
                || e instanceof Expr.Length || e instanceof Expr.MathCall || e instanceof Expr.Call;
        return simple ? text(e) : "(" + text(e) + ")";
    }

    private static String args(List<Expr> args) {
        List<String> texts = new ArrayList<>();
        args.forEach(a -> texts.add(text(a)));
        return String.join(", ", texts);
    }
}
