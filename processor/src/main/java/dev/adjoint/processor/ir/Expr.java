package dev.adjoint.processor.ir;

import java.util.List;

/**
 * Expressions of the supported subset, with their types inferred (method bodies are not attributed while
 * processors run, so the parser infers types itself). Every node knows its {@link Ty} and its {@link Pos}.
 */
public sealed interface Expr {
    /** @return the type of the value */
    Ty type();

    /** @return where it came from */
    Pos pos();

    /** A literal, as Java source text that denotes it: {@code 1.0}, {@code 2}, {@code 3L}, {@code true}, {@code 1e-9}. */
    record Lit(String text, Ty type, Pos pos) implements Expr {}

    /** A read of a parameter or local. */
    record Var(Sym sym, Pos pos) implements Expr {
        @Override
        public Ty type() {
            return sym.type();
        }
    }

    /**
     * A {@code static final} constant: the class's own or the JDK's.
     *
     * @param owner the owner's canonical name, e.g. {@code java.lang.Math}
     */
    record StaticField(String owner, String name, Ty type, Pos pos) implements Expr {}

    /** {@code array[index]}. */
    record ArrayLoad(Expr array, Expr index, Pos pos) implements Expr {
        @Override
        public Ty type() {
            return array.type().element();
        }
    }

    /** {@code array.length}. */
    record Length(Expr array, Pos pos) implements Expr {
        @Override
        public Ty type() {
            return Ty.INT;
        }
    }

    /** Unary operators other than increments. */
    enum UnOp {
        NEG("-"), PLUS("+"), NOT("!"), BITNOT("~");

        public final String symbol;

        UnOp(String symbol) {
            this.symbol = symbol;
        }
    }

    /** {@code op operand}. */
    record Unary(UnOp op, Expr operand, Ty type, Pos pos) implements Expr {}

    /** Binary operators. {@code AND}/{@code OR} are the short-circuit {@code &&}/{@code ||}. */
    enum BinOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), REM("%"),
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="),
        AND("&&"), OR("||"),
        BITAND("&"), BITOR("|"), XOR("^"), SHL("<<"), SHR(">>"), USHR(">>>");

        public final String symbol;

        BinOp(String symbol) {
            this.symbol = symbol;
        }

        /** @return whether the result is a boolean computed from two numbers */
        public boolean isComparison() {
            return this == LT || this == LE || this == GT || this == GE || this == EQ || this == NE;
        }
    }

    /** {@code left op right}; {@code type} is the result type (after numeric promotion). */
    record Binary(BinOp op, Expr left, Expr right, Ty type, Pos pos) implements Expr {}

    /** {@code cond ? then : otherwise}. */
    record Cond(Expr cond, Expr then, Expr otherwise, Ty type, Pos pos) implements Expr {}

    /** {@code (to) operand}, between int, long and double. */
    record Cast(Ty type, Expr operand, Pos pos) implements Expr {}

    /**
     * A call of a {@code java.lang.Math} or {@code java.lang.StrictMath} function, by its name ({@code sin},
     * {@code pow}, ...). {@code type} is the overload's result type ({@code Math.abs(int)} is {@code int}).
     *
     * @param owner {@code java.lang.Math} or {@code java.lang.StrictMath}: the forward sweep calls the class the user
     *              named, so that the value is bit for bit the user's (derivatives use {@code Math})
     */
    record MathCall(String owner, String fn, List<Expr> args, Ty type, Pos pos) implements Expr {}

    /**
     * A call of another static method, resolved to its owner. Allowed only with inactive arguments, where its
     * result is a constant of differentiation.
     *
     * @param owner the owner's canonical name
     */
    record Call(String owner, String name, List<Expr> args, Ty type, Pos pos) implements Expr {}

    /** {@code new double[d0][d1]...}: {@code dims} may be fewer than the type's rank ({@code new double[n][]}). */
    record NewArray(Ty type, List<Expr> dims, Pos pos) implements Expr {}

    /** An array initializer, {@code {a, b}} or {@code new double[]{a, b}}; elements of a matrix are ArrayInits. */
    record ArrayInit(Ty type, List<Expr> elements, Pos pos) implements Expr {}

    /** Assignment operators. */
    enum AssignOp {
        SET("=", null), ADD("+=", BinOp.ADD), SUB("-=", BinOp.SUB), MUL("*=", BinOp.MUL), DIV("/=", BinOp.DIV),
        REM("%=", BinOp.REM), AND("&=", BinOp.BITAND), OR("|=", BinOp.BITOR), XOR("^=", BinOp.XOR),
        SHL("<<=", BinOp.SHL), SHR(">>=", BinOp.SHR), USHR(">>>=", BinOp.USHR);

        public final String symbol;
        /** The binary operator a compound assignment applies, or null for plain {@code =}. */
        public final BinOp binary;

        AssignOp(String symbol, BinOp binary) {
            this.symbol = symbol;
            this.binary = binary;
        }
    }

    /**
     * {@code target op= value}, as an expression (its value is the target's new value). {@code target} is a
     * {@link Var} or an {@link ArrayLoad}. A compound assignment includes the implicit narrowing cast of JLS 15.26.2:
     * {@code type} is the target's type.
     */
    record Assign(Expr target, AssignOp op, Expr value, Pos pos) implements Expr {
        @Override
        public Ty type() {
            return target.type();
        }
    }

    /** {@code ++x}, {@code x++}, {@code --x}, {@code x--} on a {@link Var} or {@link ArrayLoad}. */
    record IncDec(Expr target, boolean increment, boolean prefix, Pos pos) implements Expr {
        @Override
        public Ty type() {
            return target.type();
        }
    }
}
