package dev.adjoint.processor.parse;

import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ001;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ002;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ007;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ012;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ014;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ025;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ026;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ027;
import static dev.adjoint.processor.parse.MethodContext.show;

import com.sun.source.tree.AssertTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;

/**
 * Parses statements into the IR and keeps the scopes: every declaration gets its own {@link Sym}, in declaration
 * order. A statement with an error is reported and left out; parsing goes on with the next one.
 */
final class StatementParser {
    private final MethodContext ctx;
    private final ExprParser exprs;
    /** The way out of a class, interface, enum or record declared in the method. */
    private static final String LOCAL_TYPE = "declare it outside the @Differentiable method, as a top-level or "
            + "static nested type";

    /** What a jump can leave: a loop, a switch statement, or a switch expression (which no break or continue may). */
    enum Kind { LOOP, SWITCH, SWITCH_EXPRESSION }

    /**
     * An enclosing loop or switch.
     *
     * @param label its label, or "" for none (a switch expression's own, {@code switch#1}, ..., for its yields)
     * @param value where a switch expression's yields put its value; null for the others
     */
    record Target(Kind kind, String label, SwitchParser.Value value) {}

    /** The enclosing loops and switches, innermost first. */
    private final java.util.Deque<Target> targets = new java.util.ArrayDeque<>();
    private final SwitchParser switches;

    StatementParser(MethodContext ctx, ExprParser exprs) {
        this.ctx = ctx;
        this.exprs = exprs;
        this.switches = new SwitchParser(ctx, exprs, this);
    }

    /** Enters a switch statement's cases, for the breaks in them; pair with {@link #exitJumpTarget}. */
    void enterSwitch(String label) {
        targets.push(new Target(Kind.SWITCH, label == null ? "" : label, null));
    }

    /** Enters a switch expression's cases, for their yields; pair with {@link #exitJumpTarget}. */
    Target enterSwitchExpression(String label, SwitchParser.Value value) {
        Target t = new Target(Kind.SWITCH_EXPRESSION, label, value);
        targets.push(t);
        return t;
    }

    void exitJumpTarget() {
        targets.pop();
    }

    /** @return the switch expression a yield here gives the value of, or null */
    Target innermostSwitchExpression() {
        for (Target t : targets) {
            if (t.kind() == Kind.SWITCH_EXPRESSION) {
                return t;
            }
        }
        return null;
    }

    /** @return a block, in a new scope */
    Stmt.Block block(BlockTree tree) {
        ctx.push();
        try {
            return new Stmt.Block(statements(tree.getStatements()), pos(tree));
        } finally {
            ctx.pop();
        }
    }

    List<Stmt> statements(List<? extends StatementTree> trees) {
        List<Stmt> out = new ArrayList<>(trees.size());
        for (StatementTree t : trees) {
            statement(t, out);
        }
        return out;
    }

    /** A branch or loop body: a block, or a single statement made a block (both a scope). */
    Stmt.Block body(StatementTree tree) {
        if (tree instanceof BlockTree block) {
            return block(block);
        }
        ctx.push();
        try {
            List<Stmt> out = new ArrayList<>();
            statement(tree, out);
            return new Stmt.Block(out, pos(tree));
        } finally {
            ctx.pop();
        }
    }

    /**
     * Appends the statement's IR to {@code out}: nothing for an empty statement or after an error, several
     * statements for a switch expression's context (the variable, the switch that assigns it, its use).
     */
    private void statement(StatementTree tree, List<Stmt> out) {
        switch (tree.getKind()) {
            case SWITCH:
                switches.statement((SwitchTree) tree, null, out);
                return;
            case YIELD:
                switches.yield((YieldTree) tree, out);
                return;
            case LABELED_STATEMENT: {
                LabeledStatementTree labeled = (LabeledStatementTree) tree;
                if (labeled.getStatement().getKind() == Tree.Kind.SWITCH) {
                    switches.statement((SwitchTree) labeled.getStatement(), labeled.getLabel().toString(), out);
                    return;
                }
                break;
            }
            case VARIABLE: {
                VariableTree v = (VariableTree) tree;
                if (v.getInitializer() != null
                        && ExprParser.unparenthesize(v.getInitializer()) instanceof SwitchExpressionTree sw) {
                    switches.declaration(v, sw, out);
                    return;
                }
                break;
            }
            case RETURN: {
                ReturnTree r = (ReturnTree) tree;
                if (r.getExpression() != null
                        && ExprParser.unparenthesize(r.getExpression()) instanceof SwitchExpressionTree sw) {
                    switches.returned(r, sw, out);
                    return;
                }
                break;
            }
            case EXPRESSION_STATEMENT: {
                ExpressionTree e = ((ExpressionStatementTree) tree).getExpression();
                if (e instanceof AssignmentTree a
                        && ExprParser.unparenthesize(a.getExpression()) instanceof SwitchExpressionTree sw) {
                    switches.assignment(a, a.getVariable(), Expr.AssignOp.SET, sw, out);
                    return;
                }
                if (e instanceof CompoundAssignmentTree a && ExprParser.compoundOp(a.getKind()) != null
                        && ExprParser.unparenthesize(a.getExpression()) instanceof SwitchExpressionTree sw) {
                    switches.assignment(a, a.getVariable(), ExprParser.compoundOp(a.getKind()), sw, out);
                    return;
                }
                break;
            }
            default:
                break;
        }
        Stmt s = statement(tree);
        if (s != null) {
            out.add(s);
        }
    }

    /** @return the statement's IR, or null for an empty statement or after an error */
    private Stmt statement(StatementTree tree) {
        switch (tree.getKind()) {
            case BLOCK:
                return block((BlockTree) tree);
            case VARIABLE:
                return declaration((VariableTree) tree);
            case EXPRESSION_STATEMENT: {
                Expr e = exprs.statement(((ExpressionStatementTree) tree).getExpression());
                return e == null ? null : new Stmt.ExprStmt(e, pos(tree));
            }
            case IF:
                return ifStatement((IfTree) tree);
            case WHILE_LOOP: case DO_WHILE_LOOP: case FOR_LOOP: case ENHANCED_FOR_LOOP:
                return loop(tree, null);
            case LABELED_STATEMENT: {
                LabeledStatementTree labeled = (LabeledStatementTree) tree;
                StatementTree inner = labeled.getStatement();
                if (!isLoop(inner)) {
                    return ctx.error(ADJ001, tree, "label " + labeled.getLabel() + " on a statement that is not a loop"
                            + " or a switch", "remove the label " + labeled.getLabel() + ": only loops and switches "
                            + "can be labeled (to leave a block early, put its rest in an if/else)");
                }
                return loop(inner, labeled.getLabel().toString());
            }
            case BREAK: {
                Name label = ((BreakTree) tree).getLabel();
                return jumpTarget(tree, "break", label)
                        ? new Stmt.Break(label == null ? null : label.toString(), pos(tree)) : null;
            }
            case CONTINUE: {
                Name label = ((ContinueTree) tree).getLabel();
                return jumpTarget(tree, "continue", label)
                        ? new Stmt.Continue(label == null ? null : label.toString(), pos(tree)) : null;
            }
            case RETURN:
                return returnStatement((ReturnTree) tree);
            case THROW:
                return new Stmt.Throw(thrownSource(((ThrowTree) tree).getExpression()), pos(tree));
            case EMPTY_STATEMENT:
                return null;
            case TRY:
                return ctx.error(ADJ012, tree, "try statement");
            case SYNCHRONIZED:
                return ctx.error(ADJ014, tree, "synchronized block");
            case ASSERT:
                return ctx.error(ADJ025, tree, show(tree).replaceAll(";$", ""), assertWayOut((AssertTree) tree));
            case CLASS: case INTERFACE: case ENUM: case ANNOTATION_TYPE:
                return ctx.error(ADJ001, tree, "local class declaration", LOCAL_TYPE);
            default:
                if (tree.getKind().name().equals("RECORD")) {
                    return ctx.error(ADJ001, tree, "local record declaration", LOCAL_TYPE);
                }
                return ctx.error(ADJ001, tree, show(tree));
        }
    }

    /**
     * Checks that a break or continue has a loop to leave (javac rejects the others later, but Adjoint runs
     * first): a loop around it, and when it names a label, a loop of that label.
     */
    private boolean jumpTarget(StatementTree tree, String what, Name label) {
        boolean isBreak = what.equals("break");
        for (Target t : targets) {
            if (t.kind() == Kind.SWITCH_EXPRESSION) {
                ctx.error(ADJ001, tree, what + " out of a switch expression", "leave a switch expression with "
                        + "yield <value>; (break and continue cannot jump out of it)");
                return false;
            }
            boolean takes = t.kind() == Kind.LOOP || isBreak;
            if (label == null ? takes : label.contentEquals(t.label()) && takes) {
                return true;
            }
        }
        if (label == null) {
            ctx.error(ADJ001, tree, what + " outside a loop" + (isBreak ? " or a switch" : ""), "use " + what
                    + " only inside a for, while or do/while loop" + (isBreak ? " or a switch" : "") + "; to skip "
                    + "statements, put them in an if/else");
            return false;
        }
        ctx.error(ADJ001, tree, what + " " + label + ": no enclosing loop is labeled " + label, "label the "
                + "enclosing loop (" + label + ": for (...) ...), or write " + what + "; for the innermost loop");
        return false;
    }

    private static boolean isLoop(StatementTree tree) {
        switch (tree.getKind()) {
            case WHILE_LOOP: case DO_WHILE_LOOP: case FOR_LOOP: case ENHANCED_FOR_LOOP:
                return true;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------- declarations

    /** A local declaration. The variable is in scope in its own initializer, as in Java. */
    private Stmt declaration(VariableTree tree) {
        String name = tree.getName().toString();
        ExpressionTree init = tree.getInitializer();
        Tree typeTree = tree.getType();
        if (isVar(typeTree)) {
            Expr value = init == null ? null : exprs.expr(init);
            if (value == null) {
                ctx.scope().declare(name, Scope.POISONED);
                return init == null ? ctx.error(ADJ002, tree, "var " + name + " without initializer", "give "
                        + name + " an initializer (var " + name + " = 0.0;) or declare its type (double " + name
                        + ";)") : null;
            }
            Sym sym = ctx.newSym(name, value.type(), -1);
            ctx.scope().declare(name, sym);
            return new Stmt.Decl(sym, value, pos(tree));
        }
        if (init != null && (init.getKind() == Tree.Kind.LAMBDA_EXPRESSION
                || init.getKind() == Tree.Kind.MEMBER_REFERENCE)) {
            exprs.expr(init); // reports the lambda rather than its functional interface type
            ctx.scope().declare(name, Scope.POISONED);
            return null;
        }
        Ty type = exprs.typeTree(typeTree, 0);
        if (type == null) {
            ctx.scope().declare(name, Scope.POISONED);
            return null;
        }
        Sym sym = ctx.newSym(name, type, -1);
        ctx.scope().declare(name, sym);
        if (init == null) {
            return new Stmt.Decl(sym, null, pos(tree));
        }
        Expr value = exprs.expr(init, type);
        if (value == null) {
            return null;
        }
        if (!ExprParser.assignable(value.type(), type)) {
            return ctx.error(ADJ026, init, "a " + value.type().java() + " assigned to " + type.java() + " " + name,
                    WayOuts.assignment(value.type(), type, exprs.written(init)));
        }
        return new Stmt.Decl(sym, value, pos(tree));
    }

    private static boolean isVar(Tree typeTree) {
        return typeTree == null || (typeTree instanceof IdentifierTree id && id.getName().contentEquals("var"));
    }

    // ---------------------------------------------------------------- control flow

    private Stmt ifStatement(IfTree tree) {
        Expr cond = condition(tree.getCondition());
        Stmt.Block then = body(tree.getThenStatement());
        Stmt.Block otherwise = tree.getElseStatement() == null ? null : body(tree.getElseStatement());
        return cond == null ? null : new Stmt.If(cond, then, otherwise, pos(tree));
    }

    private Expr condition(ExpressionTree tree) {
        Expr cond = exprs.expr(tree);
        if (cond != null && cond.type() != Ty.BOOLEAN) {
            return ctx.error(ADJ026, ExprParser.unparenthesize(tree), "a condition of type " + cond.type().java(),
                    WayOuts.condition(cond.type(), WayOuts.operand(ExprParser.unparenthesize(tree), exprs::written)));
        }
        return cond;
    }

    private Stmt loop(StatementTree tree, String label) {
        targets.push(new Target(Kind.LOOP, label == null ? "" : label, null));
        try {
            return loopIn(tree, label);
        } finally {
            targets.pop();
        }
    }

    private Stmt loopIn(StatementTree tree, String label) {
        switch (tree.getKind()) {
            case WHILE_LOOP: {
                WhileLoopTree w = (WhileLoopTree) tree;
                Expr cond = condition(w.getCondition());
                Stmt.Block body = body(w.getStatement());
                return cond == null ? null : new Stmt.While(label, cond, body, pos(tree));
            }
            case DO_WHILE_LOOP: {
                DoWhileLoopTree d = (DoWhileLoopTree) tree;
                Stmt.Block body = body(d.getStatement());
                Expr cond = condition(d.getCondition());
                return cond == null ? null : new Stmt.DoWhile(label, body, cond, pos(tree));
            }
            case FOR_LOOP:
                return forLoop((ForLoopTree) tree, label);
            default:
                return forEach((EnhancedForLoopTree) tree, label);
        }
    }

    private Stmt forLoop(ForLoopTree tree, String label) {
        ctx.push();
        try {
            int errors = 0;
            List<Stmt> init = new ArrayList<>();
            for (StatementTree s : tree.getInitializer()) {
                int before = init.size();
                statement(s, init);
                if (init.size() == before) {
                    errors++;
                }
            }
            Expr cond = tree.getCondition() == null ? null : condition(tree.getCondition());
            if (tree.getCondition() != null && cond == null) {
                errors++;
            }
            List<Stmt> update = new ArrayList<>();
            for (ExpressionStatementTree s : tree.getUpdate()) {
                Expr e = exprs.statement(s.getExpression());
                if (e != null) {
                    update.add(new Stmt.ExprStmt(e, pos(s)));
                } else {
                    errors++;
                }
            }
            Stmt.Block body = body(tree.getStatement());
            return errors > 0 ? null : new Stmt.For(label, init, cond, update, body, pos(tree));
        } finally {
            ctx.pop();
        }
    }

    private Stmt forEach(EnhancedForLoopTree tree, String label) {
        Expr array = exprs.expr(tree.getExpression());
        VariableTree variable = tree.getVariable();
        String name = variable.getName().toString();
        ctx.push();
        try {
            Sym sym = null;
            if (array != null && !array.type().isArray()) {
                ctx.error(ADJ026, tree.getExpression(), "for-each over a " + array.type().java(),
                        "loop over an array (" + show(tree.getExpression()) + " is not one)");
            } else if (array != null) {
                Ty element = array.type().element();
                Ty type = isVar(variable.getType()) ? element : exprs.typeTree(variable.getType(), 0);
                if (type != null && !ExprParser.assignable(element, type)) {
                    ctx.error(ADJ026, variable, "a " + type.java() + " variable over the elements of a "
                            + array.type().java(), "declare the variable as " + element.java() + " " + name
                            + " (or var " + name + ")");
                } else if (type != null) {
                    sym = ctx.newSym(name, type, -1);
                }
            }
            ctx.scope().declare(name, sym == null ? Scope.POISONED : sym);
            Stmt.Block body = body(tree.getStatement());
            return sym == null ? null : new Stmt.ForEach(label, sym, array, body, pos(tree));
        } finally {
            ctx.pop();
        }
    }

    private Stmt returnStatement(ReturnTree tree) {
        ctx.sawReturn();
        Ty declared = ctx.resultType();
        if (declared == null && ctx.isCallee() && tree.getExpression() == null) {
            return new Stmt.Return(null, pos(tree)); // a void method called from differentiated code
        }
        if (declared == null) {
            // the declared result was reported (ADJ007 or ADJ018): what is returned changes with it
            return null;
        }
        if (tree.getExpression() == null) {
            return ctx.error(ADJ027, tree, "return without a value", "return the value to differentiate: return "
                    + "<a double>;");
        }
        Expr value = exprs.expr(tree.getExpression());
        if (value == null) {
            return null;
        }
        if (declared == Ty.DOUBLE && !value.type().isNumeric()) {
            return ctx.error(ADJ007, tree.getExpression(), "returns a " + value.type().java(),
                    Signatures.returnedValueWayOut(value.type(), exprs.written(tree.getExpression())));
        }
        if (declared == Ty.DOUBLE_ARRAY && value.type() != Ty.DOUBLE_ARRAY) {
            return ctx.error(ADJ007, tree.getExpression(), "returns a " + value.type().java() + " from a method "
                    + "declared to return double[]", "return a double[]");
        }
        return new Stmt.Return(value, pos(tree));
    }

    // ---------------------------------------------------------------- throw

    /** The thrown expression as source, with the class of {@code new X(...)} qualified when it resolves. */
    private String thrownSource(ExpressionTree tree) {
        ExpressionTree t = ExprParser.unparenthesize(tree);
        if (t instanceof NewClassTree created && created.getEnclosingExpression() == null
                && created.getClassBody() == null && created.getIdentifier() instanceof IdentifierTree id
                && created.getTypeArguments().isEmpty()) {
            TypeElement type = ctx.resolver.type(id.getName().toString());
            if (type != null) {
                StringJoiner args = new StringJoiner(", ", "(", ")");
                for (ExpressionTree a : created.getArguments()) {
                    args.add(a.toString());
                }
                return "new " + TypeResolver.canonicalName(type) + args;
            }
        }
        return tree.toString();
    }

    /** The way out of an assert: the if and throw that check the same condition. */
    private String assertWayOut(AssertTree tree) {
        String condition = WayOuts.operand(tree.getCondition(), exprs::written);
        String negated = condition.startsWith("(") ? "!" + condition : "!(" + condition + ")";
        String message = tree.getDetail() == null ? "" : exprs.written(tree.getDetail());
        return "check the condition with if and throw: if (" + negated + ") { throw new AssertionError(" + message
                + "); }";
    }

    private static Pos pos(Tree tree) {
        return new Pos(tree);
    }
}
