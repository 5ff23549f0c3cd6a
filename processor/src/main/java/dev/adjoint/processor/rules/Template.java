package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and fills the IR templates of derivative rules. The builders let a rule be written as its math:
 * {@code mul(arg(1), g())} is ∂(ab)/∂a · g = b·g. {@link #fill} puts the operands, the value and the adjoint in the
 * holes; the result is plain IR, printed by the one printer like any other expression.
 */
public final class Template {
    private Template() {}

    /** @return the hole for operand {@code k} */
    public static Expr arg(int k) {
        return Expr.Hole.arg(k);
    }

    /** @return the hole for the primitive's value {@code z} */
    public static Expr z() {
        return new Expr.Hole(Expr.HoleKind.RESULT, 0, Pos.NONE);
    }

    /** @return the hole for the incoming adjoint {@code g} = ∂result/∂z */
    public static Expr g() {
        return new Expr.Hole(Expr.HoleKind.SEED, 0, Pos.NONE);
    }

    /** @return a {@code double} constant, as Java writes it */
    public static Expr num(String text) {
        return new Expr.Lit(text, Ty.DOUBLE, Pos.NONE);
    }

    /** @return π */
    public static Expr pi() {
        return new Expr.StaticField("java.lang.Math", "PI", Ty.DOUBLE, Pos.NONE);
    }

    public static Expr add(Expr a, Expr b) {
        return binary(BinOp.ADD, a, b, Ty.DOUBLE);
    }

    public static Expr sub(Expr a, Expr b) {
        return binary(BinOp.SUB, a, b, Ty.DOUBLE);
    }

    public static Expr mul(Expr a, Expr b) {
        return binary(BinOp.MUL, a, b, Ty.DOUBLE);
    }

    public static Expr div(Expr a, Expr b) {
        return binary(BinOp.DIV, a, b, Ty.DOUBLE);
    }

    public static Expr rem(Expr a, Expr b) {
        return binary(BinOp.REM, a, b, Ty.DOUBLE);
    }

    public static Expr eq(Expr a, Expr b) {
        return binary(BinOp.EQ, a, b, Ty.BOOLEAN);
    }

    public static Expr gt(Expr a, Expr b) {
        return binary(BinOp.GT, a, b, Ty.BOOLEAN);
    }

    public static Expr ge(Expr a, Expr b) {
        return binary(BinOp.GE, a, b, Ty.BOOLEAN);
    }

    public static Expr lt(Expr a, Expr b) {
        return binary(BinOp.LT, a, b, Ty.BOOLEAN);
    }

    public static Expr le(Expr a, Expr b) {
        return binary(BinOp.LE, a, b, Ty.BOOLEAN);
    }

    public static Expr and(Expr a, Expr b) {
        return binary(BinOp.AND, a, b, Ty.BOOLEAN);
    }

    /** @return {@code cond ? then : otherwise} */
    public static Expr when(Expr cond, Expr then, Expr otherwise) {
        return new Expr.Cond(cond, then, otherwise, Ty.DOUBLE, Pos.NONE);
    }

    /** @return {@code Math.fn(args)}, a {@code double} function of {@code double}s */
    public static Expr math(String fn, Expr... args) {
        List<Ty> params = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            params.add(Ty.DOUBLE);
        }
        return new Expr.MathCall(new Callee("java.lang.Math", fn, params, Ty.DOUBLE), List.of(args), Pos.NONE);
    }

    private static Expr binary(BinOp op, Expr a, Expr b, Ty type) {
        return new Expr.Binary(op, a, b, type, Pos.NONE);
    }

    /**
     * Fills a template's holes.
     *
     * @param template a rule's share
     * @param args     the operands' values
     * @param value    the primitive's value (may be null when the template does not read it)
     * @param seed     the incoming adjoint
     * @return the share as IR
     */
    public static Expr fill(Expr template, List<Expr> args, Expr value, Expr seed) {
        return dev.adjoint.processor.ir.Rewrite.bottomUp(template, e -> {
            if (e instanceof Expr.Hole h) {
                return switch (h.kind()) {
                    case ARG -> args.get(h.index());
                    case RESULT -> {
                        if (value == null) {
                            throw new IllegalStateException("the template reads the value, which was not given");
                        }
                        yield value;
                    }
                    case SEED -> seed;
                };
            }
            return e;
        });
    }
}
