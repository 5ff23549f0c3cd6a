package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Visits every declared symbol and every expression node of a surface IR tree, in source order. Every walk is a
 * visitor ({@link Stmt.Visitor}, {@link Expr.Visitor}), so a new node kind cannot be added without each saying what
 * it holds.
 */
public final class IrWalker {
    private IrWalker() {}

    /** Calls {@code action} for {@code stmt} and every statement nested in it, parents first. */
    public static void forEachStmt(Stmt stmt, Consumer<Stmt> action) {
        if (stmt == null) {
            return;
        }
        action.accept(stmt);
        for (Stmt nested : stmt.accept(NESTED)) {
            forEachStmt(nested, action);
        }
    }

    /** Calls {@code action} for every symbol declared in {@code stmt}. */
    public static void forEachSym(Stmt stmt, Consumer<Sym> action) {
        forEachStmt(stmt, s -> s.accept(DECLARED).forEach(action));
    }

    /** @return the statements nested directly in a statement, in source order (a missing else is left out) */
    private static final Stmt.Visitor<List<Stmt>> NESTED = new Stmt.Visitor<>() {
        @Override
        public List<Stmt> visitBlock(Stmt.Block s) {
            return s.stmts();
        }

        @Override
        public List<Stmt> visitDecl(Stmt.Decl s) {
            return List.of();
        }

        @Override
        public List<Stmt> visitExprStmt(Stmt.ExprStmt s) {
            return List.of();
        }

        @Override
        public List<Stmt> visitIf(Stmt.If s) {
            return s.otherwise() == null ? List.of(s.then()) : List.of(s.then(), s.otherwise());
        }

        @Override
        public List<Stmt> visitWhile(Stmt.While s) {
            return List.of(s.body());
        }

        @Override
        public List<Stmt> visitDoWhile(Stmt.DoWhile s) {
            return List.of(s.body());
        }

        @Override
        public List<Stmt> visitFor(Stmt.For s) {
            List<Stmt> out = new ArrayList<>(s.init());
            out.addAll(s.update());
            out.add(s.body());
            return out;
        }

        @Override
        public List<Stmt> visitForEach(Stmt.ForEach s) {
            return List.of(s.body());
        }

        @Override
        public List<Stmt> visitBreak(Stmt.Break s) {
            return List.of();
        }

        @Override
        public List<Stmt> visitContinue(Stmt.Continue s) {
            return List.of();
        }

        @Override
        public List<Stmt> visitReturn(Stmt.Return s) {
            return List.of();
        }

        @Override
        public List<Stmt> visitThrow(Stmt.Throw s) {
            return List.of();
        }

        @Override
        public List<Stmt> visitBreakable(Stmt.Breakable s) {
            return List.of(s.body());
        }
    };

    /** @return the symbols a statement itself declares (not those of the statements nested in it) */
    private static final Stmt.Visitor<List<Sym>> DECLARED = new Stmt.Visitor<>() {
        @Override
        public List<Sym> visitBlock(Stmt.Block s) {
            return List.of();
        }

        @Override
        public List<Sym> visitDecl(Stmt.Decl s) {
            return List.of(s.sym());
        }

        @Override
        public List<Sym> visitExprStmt(Stmt.ExprStmt s) {
            return List.of();
        }

        @Override
        public List<Sym> visitIf(Stmt.If s) {
            return List.of();
        }

        @Override
        public List<Sym> visitWhile(Stmt.While s) {
            return List.of();
        }

        @Override
        public List<Sym> visitDoWhile(Stmt.DoWhile s) {
            return List.of();
        }

        @Override
        public List<Sym> visitFor(Stmt.For s) {
            return List.of(); // its init's declarations are statements of their own
        }

        @Override
        public List<Sym> visitForEach(Stmt.ForEach s) {
            return List.of(s.var());
        }

        @Override
        public List<Sym> visitBreak(Stmt.Break s) {
            return List.of();
        }

        @Override
        public List<Sym> visitContinue(Stmt.Continue s) {
            return List.of();
        }

        @Override
        public List<Sym> visitReturn(Stmt.Return s) {
            return List.of();
        }

        @Override
        public List<Sym> visitThrow(Stmt.Throw s) {
            return List.of();
        }

        @Override
        public List<Sym> visitBreakable(Stmt.Breakable s) {
            return List.of();
        }
    };

    /** Calls {@code action} for every expression node in {@code stmt}, parents before children. */
    public static void forEachExpr(Stmt stmt, Consumer<Expr> action) {
        stmt.accept(new Stmt.Visitor<Void>() {
            @Override
            public Void visitBlock(Stmt.Block s) {
                s.stmts().forEach(x -> forEachExpr(x, action));
                return null;
            }

            @Override
            public Void visitDecl(Stmt.Decl s) {
                visit(s.init(), action);
                return null;
            }

            @Override
            public Void visitExprStmt(Stmt.ExprStmt s) {
                visit(s.expr(), action);
                return null;
            }

            @Override
            public Void visitIf(Stmt.If s) {
                visit(s.cond(), action);
                forEachExpr(s.then(), action);
                if (s.otherwise() != null) {
                    forEachExpr(s.otherwise(), action);
                }
                return null;
            }

            @Override
            public Void visitWhile(Stmt.While s) {
                visit(s.cond(), action);
                forEachExpr(s.body(), action);
                return null;
            }

            @Override
            public Void visitDoWhile(Stmt.DoWhile s) {
                forEachExpr(s.body(), action);
                visit(s.cond(), action);
                return null;
            }

            @Override
            public Void visitFor(Stmt.For s) {
                s.init().forEach(x -> forEachExpr(x, action));
                visit(s.cond(), action);
                s.update().forEach(x -> forEachExpr(x, action));
                forEachExpr(s.body(), action);
                return null;
            }

            @Override
            public Void visitForEach(Stmt.ForEach s) {
                visit(s.array(), action);
                forEachExpr(s.body(), action);
                return null;
            }

            @Override
            public Void visitBreak(Stmt.Break s) {
                return null;
            }

            @Override
            public Void visitContinue(Stmt.Continue s) {
                return null;
            }

            @Override
            public Void visitReturn(Stmt.Return s) {
                visit(s.value(), action);
                return null;
            }

            @Override
            public Void visitThrow(Stmt.Throw s) {
                return null; // kept as source text: no expression of the subset
            }

            @Override
            public Void visitBreakable(Stmt.Breakable s) {
                forEachExpr(s.body(), action);
                return null;
            }
        });
    }

    /** Calls {@code action} for {@code e} and all its sub-expressions, parents first; null is ignored. */
    public static void visit(Expr e, Consumer<Expr> action) {
        if (e == null) {
            return;
        }
        action.accept(e);
        for (Expr child : children(e)) {
            visit(child, action);
        }
    }

    /** @return the direct sub-expressions of {@code e}, in evaluation order */
    public static List<Expr> children(Expr e) {
        return e.accept(CHILDREN);
    }

    private static final Expr.Visitor<List<Expr>> CHILDREN = new Expr.Visitor<>() {
        @Override
        public List<Expr> visitLit(Expr.Lit e) {
            return List.of();
        }

        @Override
        public List<Expr> visitVar(Expr.Var e) {
            return List.of();
        }

        @Override
        public List<Expr> visitStaticField(Expr.StaticField e) {
            return List.of();
        }

        @Override
        public List<Expr> visitHole(Expr.Hole e) {
            return List.of();
        }

        @Override
        public List<Expr> visitPop(Expr.Pop e) {
            return List.of();
        }

        @Override
        public List<Expr> visitArrayLoad(Expr.ArrayLoad a) {
            return List.of(a.array(), a.index());
        }

        @Override
        public List<Expr> visitLength(Expr.Length l) {
            return List.of(l.array());
        }

        @Override
        public List<Expr> visitUnary(Expr.Unary u) {
            return List.of(u.operand());
        }

        @Override
        public List<Expr> visitBinary(Expr.Binary b) {
            return List.of(b.left(), b.right());
        }

        @Override
        public List<Expr> visitCond(Expr.Cond c) {
            return List.of(c.cond(), c.then(), c.otherwise());
        }

        @Override
        public List<Expr> visitCast(Expr.Cast c) {
            return List.of(c.operand());
        }

        @Override
        public List<Expr> visitMathCall(Expr.MathCall m) {
            return m.args();
        }

        @Override
        public List<Expr> visitCall(Expr.Call c) {
            return c.args();
        }

        @Override
        public List<Expr> visitNewArray(Expr.NewArray n) {
            return n.dims();
        }

        @Override
        public List<Expr> visitArrayInit(Expr.ArrayInit i) {
            return i.elements();
        }

        @Override
        public List<Expr> visitAssign(Expr.Assign a) {
            return List.of(a.target(), a.value());
        }

        @Override
        public List<Expr> visitIncDec(Expr.IncDec i) {
            return List.of(i.target());
        }
    };

    /**
     * @return whether two pure expressions denote the same value: the same structure, variables, literals and
     *     functions (positions are ignored)
     */
    public static boolean same(Expr a, Expr b) {
        if (a.getClass() != b.getClass() || a.type() != b.type() || !a.accept(new SameNode(b))) {
            return false;
        }
        List<Expr> ka = children(a);
        List<Expr> kb = children(b);
        if (ka.size() != kb.size()) {
            return false;
        }
        for (int i = 0; i < ka.size(); i++) {
            if (!same(ka.get(i), kb.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a node, apart from its children, is the same as {@code other} (a node of the same class and type). */
    private static final class SameNode implements Expr.Visitor<Boolean> {
        private final Expr other;

        SameNode(Expr other) {
            this.other = other;
        }

        @Override
        public Boolean visitLit(Expr.Lit e) {
            return e.text().equals(((Expr.Lit) other).text());
        }

        @Override
        public Boolean visitVar(Expr.Var e) {
            return e.sym() == ((Expr.Var) other).sym();
        }

        @Override
        public Boolean visitStaticField(Expr.StaticField e) {
            Expr.StaticField o = (Expr.StaticField) other;
            return e.owner().equals(o.owner()) && e.name().equals(o.name());
        }

        @Override
        public Boolean visitArrayLoad(Expr.ArrayLoad e) {
            return true;
        }

        @Override
        public Boolean visitLength(Expr.Length e) {
            return true;
        }

        @Override
        public Boolean visitUnary(Expr.Unary e) {
            return e.op() == ((Expr.Unary) other).op();
        }

        @Override
        public Boolean visitBinary(Expr.Binary e) {
            return e.op() == ((Expr.Binary) other).op();
        }

        @Override
        public Boolean visitCast(Expr.Cast e) {
            return true; // the same target type, checked by same
        }

        @Override
        public Boolean visitMathCall(Expr.MathCall e) {
            return e.callee().equals(((Expr.MathCall) other).callee());
        }

        // calls, conditionals, allocations and assignments: never assumed equal

        @Override
        public Boolean visitCond(Expr.Cond e) {
            return false;
        }

        @Override
        public Boolean visitCall(Expr.Call e) {
            return false;
        }

        @Override
        public Boolean visitNewArray(Expr.NewArray e) {
            return false;
        }

        @Override
        public Boolean visitArrayInit(Expr.ArrayInit e) {
            return false;
        }

        @Override
        public Boolean visitAssign(Expr.Assign e) {
            return false;
        }

        @Override
        public Boolean visitIncDec(Expr.IncDec e) {
            return false;
        }

        @Override
        public Boolean visitHole(Expr.Hole e) {
            return false; // a rule's hole, not a value of the method
        }

        @Override
        public Boolean visitPop(Expr.Pop e) {
            return false; // each takes the next value from the tape
        }
    }
}
