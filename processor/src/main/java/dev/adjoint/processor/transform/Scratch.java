package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local arrays of a derivative that a reusable result can own, so that a warm call of the reuse form allocates
 * nothing: a {@code double[]} local declared in the sweeps' top-level block with {@code new double[n]} (so made
 * once per call; the primal's arrays and the adjoint arrays beside them alike), and used only through its elements
 * and its length. Such an array cannot outlive the call: it is never returned, stored, rebound, saved on the tape
 * or passed to a method, so handing the next call the same array, zeroed, is what {@code new double[n]} gives it.
 * An array declared in a loop or a branch, or used any other way, is allocated as the original method does.
 */
public final class Scratch {
    private Scratch() {}

    /**
     * @param forward the forward sweep
     * @param reverse the reverse sweep (it runs after the forward one, in the same scope)
     * @return the arrays, in the order they are declared
     */
    public static List<Sym> arrays(Core.Block forward, Core.Block reverse) {
        Set<Sym> candidates = new LinkedHashSet<>();
        for (Core c : forward.stmts()) {
            if (c instanceof Core.Declare d && d.sym().type() == Ty.DOUBLE_ARRAY
                    && d.init() instanceof Expr.NewArray n && n.dims().size() == 1) {
                candidates.add(d.sym());
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<Sym, Integer> declarations = new HashMap<>();
        Set<Sym> escaping = new LinkedHashSet<>();
        Uses uses = new Uses(candidates, declarations, escaping);
        forward.accept(uses);
        reverse.accept(uses);
        List<Sym> out = new ArrayList<>();
        for (Sym s : candidates) {
            if (!escaping.contains(s) && declarations.getOrDefault(s, 0) == 1) {
                out.add(s);
            }
        }
        return out;
    }

    /** Finds the candidates used other than through an element or the length, and counts their declarations. */
    private static final class Uses implements Core.Visitor<Void> {
        private final Set<Sym> candidates;
        private final Map<Sym, Integer> declarations;
        private final Set<Sym> escaping;

        Uses(Set<Sym> candidates, Map<Sym, Integer> declarations, Set<Sym> escaping) {
            this.candidates = candidates;
            this.declarations = declarations;
            this.escaping = escaping;
        }

        /** Every variable of {@code e} that is not the array of an element or of a length escapes. */
        private void expr(Expr e) {
            if (e instanceof Expr.Var v) {
                if (candidates.contains(v.sym())) {
                    escaping.add(v.sym());
                }
                return;
            }
            List<Expr> kids = IrWalker.children(e);
            for (int k = 0; k < kids.size(); k++) {
                Expr kid = kids.get(k);
                boolean viaElement = k == 0 && kid instanceof Expr.Var
                        && (e instanceof Expr.ArrayLoad || e instanceof Expr.Length);
                if (!viaElement) {
                    expr(kid);
                }
            }
        }

        private void block(Core.Block b) {
            for (Core c : b.stmts()) {
                c.accept(this);
            }
        }

        @Override
        public Void visitBlock(Core.Block c) {
            block(c);
            return null;
        }

        @Override
        public Void visitDeclare(Core.Declare c) {
            declarations.merge(c.sym(), 1, Integer::sum);
            if (!(c.init() instanceof Expr.NewArray n && candidates.contains(c.sym()))) {
                expr(c.init());
            } else {
                n.dims().forEach(this::expr);
            }
            return null;
        }

        @Override
        public Void visitAssign(Core.Assign c) {
            expr(c.target());
            expr(c.value());
            return null;
        }

        @Override
        public Void visitEval(Core.Eval c) {
            expr(c.call());
            return null;
        }

        @Override
        public Void visitIf(Core.If c) {
            expr(c.cond());
            block(c.then());
            block(c.otherwise());
            return null;
        }

        @Override
        public Void visitFor(Core.For c) {
            expr(c.from());
            expr(c.bound());
            block(c.body());
            return null;
        }

        @Override
        public Void visitWhile(Core.While c) {
            block(c.preCond());
            expr(c.cond());
            block(c.body());
            block(c.update());
            return null;
        }

        @Override
        public Void visitThrow(Core.Throw c) {
            return null;
        }

        @Override
        public Void visitSave(Core.Save c) {
            expr(c.value());
            return null;
        }

        @Override
        public Void visitRestore(Core.Restore c) {
            expr(c.target());
            return null;
        }

        @Override
        public Void visitAccumulate(Core.Accumulate c) {
            expr(c.adjoint());
            expr(c.term());
            return null;
        }

        @Override
        public Void visitZero(Core.Zero c) {
            expr(c.adjoint());
            return null;
        }

        @Override
        public Void visitSwitch(Core.Switch c) {
            expr(c.selector());
            c.cases().forEach(this::block);
            return null;
        }

        @Override
        public Void visitNote(Core.Note c) {
            return null; // a comment
        }
    }
}
