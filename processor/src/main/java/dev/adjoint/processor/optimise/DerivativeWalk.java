package dev.adjoint.processor.optimise;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Queries and rewrites over a derivative's IR, which holds the derivative-only statements (saves, restores,
 * accumulations, notes) beside the primal ones. They are {@link Core.Visitor}s, so a new kind of statement does not
 * compile until each says what it holds.
 */
final class DerivativeWalk {
    private DerivativeWalk() {}

    /** Calls {@code action} on every statement of {@code c}, parents before children. */
    static void forEach(Core c, Consumer<Core> action) {
        action.accept(c);
        for (Core.Block b : blocks(c)) {
            forEach(b, action);
        }
        if (c instanceof Core.Block b) {
            for (Core s : b.stmts()) {
                forEach(s, action);
            }
        }
    }

    /** @return the blocks nested directly in {@code c} (none for a block itself: its statements are its children) */
    static List<Core.Block> blocks(Core c) {
        return c.accept(new Core.Visitor<List<Core.Block>>() {
            @Override
            public List<Core.Block> visitBlock(Core.Block b) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitDeclare(Core.Declare d) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitAssign(Core.Assign a) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitEval(Core.Eval e) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitIf(Core.If i) {
                return List.of(i.then(), i.otherwise());
            }

            @Override
            public List<Core.Block> visitFor(Core.For f) {
                return List.of(f.body());
            }

            @Override
            public List<Core.Block> visitWhile(Core.While w) {
                return List.of(w.preCond(), w.body(), w.update());
            }

            @Override
            public List<Core.Block> visitThrow(Core.Throw t) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitSave(Core.Save s) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitRestore(Core.Restore r) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitAccumulate(Core.Accumulate a) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitZero(Core.Zero z) {
                return List.of();
            }

            @Override
            public List<Core.Block> visitSwitch(Core.Switch s) {
                return s.cases();
            }

            @Override
            public List<Core.Block> visitNote(Core.Note n) {
                return List.of();
            }
        });
    }

    /**
     * @return the expressions {@code c} itself holds, targets included (not its nested statements'); none for a
     *     note, which is a comment
     */
    static List<Expr> exprs(Core c) {
        return c.accept(new Core.Visitor<List<Expr>>() {
            @Override
            public List<Expr> visitBlock(Core.Block b) {
                return List.of();
            }

            @Override
            public List<Expr> visitDeclare(Core.Declare d) {
                return d.init() == null ? List.of() : List.of(d.init());
            }

            @Override
            public List<Expr> visitAssign(Core.Assign a) {
                return List.of(a.target(), a.value());
            }

            @Override
            public List<Expr> visitEval(Core.Eval e) {
                return List.of(e.call());
            }

            @Override
            public List<Expr> visitIf(Core.If i) {
                return List.of(i.cond());
            }

            @Override
            public List<Expr> visitFor(Core.For f) {
                return List.of(f.from(), f.bound());
            }

            @Override
            public List<Expr> visitWhile(Core.While w) {
                return List.of(w.cond());
            }

            @Override
            public List<Expr> visitThrow(Core.Throw t) {
                return List.of();
            }

            @Override
            public List<Expr> visitSave(Core.Save s) {
                return List.of(s.value());
            }

            @Override
            public List<Expr> visitRestore(Core.Restore r) {
                return List.of(r.target());
            }

            @Override
            public List<Expr> visitAccumulate(Core.Accumulate a) {
                return List.of(a.adjoint(), a.term());
            }

            @Override
            public List<Expr> visitZero(Core.Zero z) {
                return List.of(z.adjoint());
            }

            @Override
            public List<Expr> visitSwitch(Core.Switch s) {
                return List.of(s.selector());
            }

            @Override
            public List<Expr> visitNote(Core.Note n) {
                return List.of();
            }
        });
    }

    /**
     * Adds the variables {@code c} or a statement nested in it declares or assigns as a whole: a declared local, a
     * loop's index, a variable assigned, restored, accumulated into or zeroed (not an array whose element is).
     */
    static void assigned(Core c, Set<Sym> into) {
        forEach(c, s -> {
            Expr target = null;
            if (s instanceof Core.Declare d) {
                into.add(d.sym());
            } else if (s instanceof Core.For f) {
                into.add(f.index());
            } else if (s instanceof Core.Assign a) {
                target = a.target();
            } else if (s instanceof Core.Restore r) {
                target = r.target();
            } else if (s instanceof Core.Accumulate a) {
                target = a.adjoint();
            } else if (s instanceof Core.Zero z) {
                target = z.adjoint();
            }
            if (target instanceof Expr.Var v) {
                into.add(v.sym());
            }
        });
    }

    /**
     * @return {@code c} with {@code f} applied to each expression it holds, targets included, and {@code blocks} to
     *     each block nested directly in it; notes as they are
     */
    static Core map(Core c, UnaryOperator<Expr> f, UnaryOperator<Core.Block> blocks) {
        return c.accept(new Core.Visitor<Core>() {
            @Override
            public Core visitBlock(Core.Block b) {
                return blocks.apply(b);
            }

            @Override
            public Core visitDeclare(Core.Declare d) {
                return new Core.Declare(d.sym(), d.init() == null ? null : f.apply(d.init()), d.origin(), d.pos());
            }

            @Override
            public Core visitAssign(Core.Assign a) {
                return new Core.Assign(f.apply(a.target()), f.apply(a.value()), a.origin(), a.pos());
            }

            @Override
            public Core visitEval(Core.Eval e) {
                return new Core.Eval(f.apply(e.call()), e.pos());
            }

            @Override
            public Core visitIf(Core.If i) {
                return new Core.If(f.apply(i.cond()), blocks.apply(i.then()), blocks.apply(i.otherwise()), i.pos());
            }

            @Override
            public Core visitFor(Core.For l) {
                return new Core.For(l.index(), f.apply(l.from()), l.cmp(), f.apply(l.bound()), l.step(),
                        blocks.apply(l.body()), l.pos());
            }

            @Override
            public Core visitWhile(Core.While w) {
                return new Core.While(blocks.apply(w.preCond()), f.apply(w.cond()), blocks.apply(w.body()),
                        blocks.apply(w.update()), w.testFirst(), w.pos());
            }

            @Override
            public Core visitThrow(Core.Throw t) {
                return t;
            }

            @Override
            public Core visitSave(Core.Save s) {
                return new Core.Save(f.apply(s.value()), s.pos());
            }

            @Override
            public Core visitRestore(Core.Restore r) {
                return new Core.Restore(f.apply(r.target()), r.declare(), r.pos());
            }

            @Override
            public Core visitAccumulate(Core.Accumulate a) {
                return new Core.Accumulate(f.apply(a.adjoint()), f.apply(a.term()), a.subtract(), a.origin(),
                        a.pos());
            }

            @Override
            public Core visitZero(Core.Zero z) {
                return new Core.Zero(f.apply(z.adjoint()), z.pos());
            }

            @Override
            public Core visitSwitch(Core.Switch s) {
                List<Core.Block> cases = new ArrayList<>();
                s.cases().forEach(b -> cases.add(blocks.apply(b)));
                return new Core.Switch(f.apply(s.selector()), cases, s.pos());
            }

            @Override
            public Core visitNote(Core.Note n) {
                return n;
            }
        });
    }
}
