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

    /** @return what the visitor returns for this node: dispatch the compiler checks for every node kind */
    <R> R accept(Visitor<R> v);

    /**
     * One method per node kind. Java 17 has no pattern-matching {@code switch}; a visitor is how a pass handles
     * every kind of expression, and a new kind cannot be added without every pass saying what it does with it.
     */
    interface Visitor<R> {
        R visitLit(Lit e);

        R visitVar(Var e);

        R visitStaticField(StaticField e);

        R visitArrayLoad(ArrayLoad e);

        R visitLength(Length e);

        R visitUnary(Unary e);

        R visitBinary(Binary e);

        R visitCond(Cond e);

        R visitCast(Cast e);

        R visitMathCall(MathCall e);

        R visitCall(Call e);

        R visitNewArray(NewArray e);

        R visitArrayInit(ArrayInit e);

        R visitAssign(Assign e);

        R visitIncDec(IncDec e);

        R visitHole(Hole e);

        R visitPop(Pop e);
    }

    /** A literal, as Java source text that denotes it: {@code 1.0}, {@code 2}, {@code 3L}, {@code true}, {@code 1e-9}. */
    record Lit(String text, Ty type, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitLit(this);
        }
    }

    /** A read of a parameter or local. */
    record Var(Sym sym, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitVar(this);
        }

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
    record StaticField(String owner, String name, Ty type, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitStaticField(this);
        }
    }

    /** {@code array[index]}. */
    record ArrayLoad(Expr array, Expr index, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitArrayLoad(this);
        }

        @Override
        public Ty type() {
            return array.type().element();
        }
    }

    /** {@code array.length}. */
    record Length(Expr array, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitLength(this);
        }

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
    record Unary(UnOp op, Expr operand, Ty type, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitUnary(this);
        }
    }

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
    record Binary(BinOp op, Expr left, Expr right, Ty type, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitBinary(this);
        }
    }

    /** {@code cond ? then : otherwise}. */
    record Cond(Expr cond, Expr then, Expr otherwise, Ty type, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitCond(this);
        }
    }

    /** {@code (to) operand}, between int, long and double. */
    record Cast(Ty type, Expr operand, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitCast(this);
        }
    }

    /**
     * A call of a {@code java.lang.Math} or {@code java.lang.StrictMath} function: a primitive with a derivative
     * rule in the registry, keyed by its {@link Callee} ({@code Math.abs(int)} is {@code int}).
     *
     * @param callee the overload; its owner is {@code java.lang.Math} or {@code java.lang.StrictMath}: the forward
     *               sweep calls the class the user named, so that the value is bit for bit the user's (derivatives
     *               use {@code Math})
     */
    record MathCall(Callee callee, List<Expr> args, Pos pos) implements Expr {
        public MathCall {
            args = List.copyOf(args);
        }

        /** @return the function's name, e.g. {@code sin} */
        public String fn() {
            return callee.name();
        }

        /** @return the owner's canonical name */
        public String owner() {
            return callee.owner();
        }

        @Override
        public Ty type() {
            return callee.result();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitMathCall(this);
        }
    }

    /**
     * A call of another static method, resolved to the overload Java picks. Allowed only with inactive arguments,
     * where its result is a constant of differentiation.
     *
     * @param callee the overload
     */
    record Call(Callee callee, List<Expr> args, Pos pos) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        /** @return the owner's canonical name */
        public String owner() {
            return callee.owner();
        }

        /** @return the method's name */
        public String name() {
            return callee.name();
        }

        @Override
        public Ty type() {
            return callee.result();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitCall(this);
        }
    }

    /** {@code new double[d0][d1]...}: {@code dims} may be fewer than the type's rank ({@code new double[n][]}). */
    record NewArray(Ty type, List<Expr> dims, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitNewArray(this);
        }
    }

    /** An array initializer, {@code {a, b}} or {@code new double[]{a, b}}; elements of a matrix are ArrayInits. */
    record ArrayInit(Ty type, List<Expr> elements, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitArrayInit(this);
        }
    }

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
        public <R> R accept(Visitor<R> v) {
            return v.visitAssign(this);
        }

        @Override
        public Ty type() {
            return target.type();
        }
    }

    /** {@code ++x}, {@code x++}, {@code --x}, {@code x--} on a {@link Var} or {@link ArrayLoad}. */
    record IncDec(Expr target, boolean increment, boolean prefix, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitIncDec(this);
        }

        @Override
        public Ty type() {
            return target.type();
        }
    }

    /** What a {@link Hole} of a rule template stands for. */
    enum HoleKind {
        /** An operand's value: {@code index} is its position. */
        ARG,
        /** The primitive's own value ({@code z} in {@code z = f(x)}). */
        RESULT,
        /** The incoming adjoint of the primitive's value, ∂result/∂z. */
        SEED
    }

    /**
     * A hole in a derivative rule's template ({@code rules.Rule}): filled with an operand, the primitive's value or
     * its adjoint when the rule is applied. Never in a method's IR.
     */
    record Hole(HoleKind kind, int index, Pos pos) implements Expr {
        /** @return operand {@code k}'s hole */
        public static Hole arg(int k) {
            return new Hole(HoleKind.ARG, k, Pos.NONE);
        }

        @Override
        public Ty type() {
            return Ty.DOUBLE;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitHole(this);
        }
    }

    /**
     * The next value taken back from the tape, in generated code only: a branch taken, a trip count, a saved value.
     *
     * @param type what was saved
     */
    record Pop(Ty type, Pos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitPop(this);
        }
    }
}
