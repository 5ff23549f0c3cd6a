package dev.adjoint.processor.ir;

import java.util.List;

/** Statements of the supported subset, as the user wrote them (before any lowering). */
public sealed interface Stmt {
    /** @return where it came from */
    Pos pos();

    /** @return what the visitor returns for this statement: dispatch the compiler checks for every statement kind */
    <R> R accept(Visitor<R> v);

    /** One method per statement kind, so that no pass over the user's statements can forget one. */
    interface Visitor<R> {
        R visitBlock(Block s);

        R visitDecl(Decl s);

        R visitExprStmt(ExprStmt s);

        R visitIf(If s);

        R visitWhile(While s);

        R visitDoWhile(DoWhile s);

        R visitFor(For s);

        R visitForEach(ForEach s);

        R visitBreak(Break s);

        R visitContinue(Continue s);

        R visitReturn(Return s);

        R visitThrow(Throw s);

        R visitBreakable(Breakable s);
    }

    /** A block: a scope. */
    record Block(List<Stmt> stmts, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitBlock(this);
        }
    }

    /** A local declaration; {@code init} may be null. One {@code Decl} per declared variable. */
    record Decl(Sym sym, Expr init, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitDecl(this);
        }
    }

    /** An expression statement: assignment, increment, or a call. */
    record ExprStmt(Expr expr, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitExprStmt(this);
        }
    }

    /** {@code if (cond) then else otherwise}; {@code otherwise} may be null. */
    record If(Expr cond, Block then, Block otherwise, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitIf(this);
        }
    }

    /** {@code label: while (cond) body}; {@code label} may be null. */
    record While(String label, Expr cond, Block body, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitWhile(this);
        }
    }

    /** {@code label: do body while (cond);}. */
    record DoWhile(String label, Block body, Expr cond, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitDoWhile(this);
        }
    }

    /**
     * {@code label: for (init; cond; update) body}; {@code init} holds {@link Decl}s or {@link ExprStmt}s,
     * {@code cond} may be null (true), {@code update} holds {@link ExprStmt}s.
     */
    record For(String label, List<Stmt> init, Expr cond, List<Stmt> update, Block body, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitFor(this);
        }
    }

    /** {@code label: for (T var : array) body} over a {@code double[]}, {@code double[][]} or {@code int[]}. */
    record ForEach(String label, Sym var, Expr array, Block body, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitForEach(this);
        }
    }

    /** {@code break label;}; {@code label} may be null. */
    record Break(String label, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitBreak(this);
        }
    }

    /** {@code continue label;}; {@code label} may be null. */
    record Continue(String label, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitContinue(this);
        }
    }

    /** {@code return value;}. */
    record Return(Expr value, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitReturn(this);
        }
    }

    /**
     * {@code throw ...;}, kept as the Java source of the thrown expression (with type names qualified), copied
     * into the generated code as written. A guard: it never carries a derivative.
     *
     * @param source the thrown expression as Java source, e.g. {@code new java.lang.IllegalArgumentException("n < 0")}
     */
    record Throw(String source, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitThrow(this);
        }
    }

    /**
     * A block that {@code break label} leaves: a {@code switch} that the parser desugared into ifs (Java's
     * {@code switch} has no node here). When {@code unlabeled} is true an unlabeled {@code break} leaves it too (a
     * switch statement: {@code break} breaks the switch, not the loop around it, while {@code continue} goes on to
     * that loop); a switch expression's block takes only breaks to its own label (its {@code yield}s, each an
     * assignment of the value and such a break). {@code label} may be null (then only unlabeled breaks leave it).
     */
    record Breakable(String label, boolean unlabeled, Block body, Pos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitBreakable(this);
        }
    }
}
