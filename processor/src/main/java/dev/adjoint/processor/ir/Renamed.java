package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A copy of a parsed body with every variable replaced by another: how a called method's body is put in place of a
 * call, its parameters and locals new variables of the caller each time it is inlined (lowering), and how the
 * parser gives a switch expression's value the type its cases decide ({@code var v = switch ...}); and, with
 * {@link #rewritten}, a copy with some expressions replaced (a recursive call made a call of its rules).
 */
public final class Renamed {
    private final Map<Sym, Sym> map;
    private final java.util.function.Function<Expr, Expr> replacement;

    private Renamed(Map<Sym, Sym> map) {
        this.map = map;
        this.replacement = x -> x instanceof Expr.Var v && map.containsKey(v.sym())
                ? new Expr.Var(map.get(v.sym()), v.pos()) : null;
    }

    private Renamed(java.util.function.Function<Expr, Expr> replacement) {
        this.map = Map.of();
        this.replacement = replacement;
    }

    /**
     * @return {@code body} with each expression for which {@code replacement} gives a value replaced by it (null:
     *     kept, its children visited), variables and statements as they are
     */
    public static Stmt.Block rewritten(Stmt.Block body, java.util.function.Function<Expr, Expr> replacement) {
        return new Renamed(replacement).block(body);
    }

    /** @return {@code body} with each variable {@code s} in {@code map} replaced by {@code map.get(s)} */
    public static Stmt.Block of(Stmt.Block body, Map<Sym, Sym> map) {
        return new Renamed(map).block(body);
    }

    private Stmt.Block block(Stmt.Block b) {
        if (b == null) {
            return null;
        }
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : b.stmts()) {
            out.add(stmt(s));
        }
        return new Stmt.Block(out, b.pos());
    }

    private List<Stmt> stmts(List<Stmt> ss) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : ss) {
            out.add(stmt(s));
        }
        return out;
    }

    private Sym sym(Sym s) {
        return map.getOrDefault(s, s);
    }

    private Expr expr(Expr e) {
        if (e == null) {
            return null;
        }
        return Rewrite.substitute(e, replacement);
    }

    private Stmt stmt(Stmt s) {
        return s.accept(new Stmt.Visitor<Stmt>() {
            @Override
            public Stmt visitBlock(Stmt.Block b) {
                return block(b);
            }

            @Override
            public Stmt visitDecl(Stmt.Decl d) {
                return new Stmt.Decl(sym(d.sym()), expr(d.init()), d.pos());
            }

            @Override
            public Stmt visitExprStmt(Stmt.ExprStmt e) {
                return new Stmt.ExprStmt(expr(e.expr()), e.pos());
            }

            @Override
            public Stmt visitIf(Stmt.If i) {
                return new Stmt.If(expr(i.cond()), block(i.then()), block(i.otherwise()), i.pos());
            }

            @Override
            public Stmt visitWhile(Stmt.While w) {
                return new Stmt.While(w.label(), expr(w.cond()), block(w.body()), w.pos());
            }

            @Override
            public Stmt visitDoWhile(Stmt.DoWhile d) {
                return new Stmt.DoWhile(d.label(), block(d.body()), expr(d.cond()), d.pos());
            }

            @Override
            public Stmt visitFor(Stmt.For f) {
                return new Stmt.For(f.label(), stmts(f.init()), expr(f.cond()), stmts(f.update()), block(f.body()),
                        f.pos());
            }

            @Override
            public Stmt visitForEach(Stmt.ForEach f) {
                return new Stmt.ForEach(f.label(), sym(f.var()), expr(f.array()), block(f.body()), f.pos());
            }

            @Override
            public Stmt visitBreak(Stmt.Break b) {
                return b;
            }

            @Override
            public Stmt visitContinue(Stmt.Continue c) {
                return c;
            }

            @Override
            public Stmt visitReturn(Stmt.Return r) {
                return new Stmt.Return(expr(r.value()), r.pos());
            }

            @Override
            public Stmt visitThrow(Stmt.Throw t) {
                return t;
            }

            @Override
            public Stmt visitBreakable(Stmt.Breakable b) {
                return new Stmt.Breakable(b.label(), b.unlabeled(), block(b.body()), b.pos());
            }
        });
    }
}
