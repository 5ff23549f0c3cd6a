package dev.adjoint.processor.ir;

import java.util.List;
import java.util.function.Consumer;

/**
 * Visits every declared symbol and every expression node of a surface IR tree, in source order.
 * (Java 17 has no pattern-matching switch; the chains below end in an exception naming any node they forgot.)
 */
public final class IrWalker {
    private IrWalker() {}

    /** Calls {@code action} for {@code stmt} and every statement nested in it, parents first. */
    public static void forEachStmt(Stmt stmt, Consumer<Stmt> action) {
        if (stmt == null) {
            return;
        }
        action.accept(stmt);
        if (stmt instanceof Stmt.Block b) {
            b.stmts().forEach(s -> forEachStmt(s, action));
        } else if (stmt instanceof Stmt.If i) {
            forEachStmt(i.then(), action);
            forEachStmt(i.otherwise(), action);
        } else if (stmt instanceof Stmt.While w) {
            forEachStmt(w.body(), action);
        } else if (stmt instanceof Stmt.DoWhile d) {
            forEachStmt(d.body(), action);
        } else if (stmt instanceof Stmt.For f) {
            f.init().forEach(s -> forEachStmt(s, action));
            f.update().forEach(s -> forEachStmt(s, action));
            forEachStmt(f.body(), action);
        } else if (stmt instanceof Stmt.ForEach f) {
            forEachStmt(f.body(), action);
        }
    }

    /** Calls {@code action} for every symbol declared in {@code stmt}. */
    public static void forEachSym(Stmt stmt, Consumer<Sym> action) {
        forEachStmt(stmt, s -> {
            if (s instanceof Stmt.Decl d) {
                action.accept(d.sym());
            } else if (s instanceof Stmt.ForEach f) {
                action.accept(f.var());
            }
        });
    }

    /** Calls {@code action} for every expression node in {@code stmt}, parents before children. */
    public static void forEachExpr(Stmt stmt, Consumer<Expr> action) {
        if (stmt instanceof Stmt.Block b) {
            b.stmts().forEach(s -> forEachExpr(s, action));
        } else if (stmt instanceof Stmt.Decl d) {
            visit(d.init(), action);
        } else if (stmt instanceof Stmt.ExprStmt e) {
            visit(e.expr(), action);
        } else if (stmt instanceof Stmt.If i) {
            visit(i.cond(), action);
            forEachExpr(i.then(), action);
            if (i.otherwise() != null) {
                forEachExpr(i.otherwise(), action);
            }
        } else if (stmt instanceof Stmt.While w) {
            visit(w.cond(), action);
            forEachExpr(w.body(), action);
        } else if (stmt instanceof Stmt.DoWhile d) {
            forEachExpr(d.body(), action);
            visit(d.cond(), action);
        } else if (stmt instanceof Stmt.For f) {
            f.init().forEach(s -> forEachExpr(s, action));
            visit(f.cond(), action);
            f.update().forEach(s -> forEachExpr(s, action));
            forEachExpr(f.body(), action);
        } else if (stmt instanceof Stmt.ForEach f) {
            visit(f.array(), action);
            forEachExpr(f.body(), action);
        } else if (stmt instanceof Stmt.Return r) {
            visit(r.value(), action);
        }
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
        if (a.getClass() != b.getClass() || a.type() != b.type()) {
            return false;
        }
        if (a instanceof Expr.Var va) {
            return va.sym() == ((Expr.Var) b).sym();
        } else if (a instanceof Expr.Lit la) {
            return la.text().equals(((Expr.Lit) b).text());
        } else if (a instanceof Expr.StaticField fa) {
            Expr.StaticField fb = (Expr.StaticField) b;
            return fa.owner().equals(fb.owner()) && fa.name().equals(fb.name());
        } else if (a instanceof Expr.Unary ua) {
            if (ua.op() != ((Expr.Unary) b).op()) {
                return false;
            }
        } else if (a instanceof Expr.Binary ba) {
            if (ba.op() != ((Expr.Binary) b).op()) {
                return false;
            }
        } else if (a instanceof Expr.MathCall ma) {
            if (!ma.callee().equals(((Expr.MathCall) b).callee())) {
                return false;
            }
        } else if (a instanceof Expr.Cast) {
            // same target type checked above
        } else if (!(a instanceof Expr.ArrayLoad || a instanceof Expr.Length)) {
            return false; // calls, conditionals, allocations: never assumed equal
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
}
