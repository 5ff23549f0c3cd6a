package dev.adjoint.processor.parse;

import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ001;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ013;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ026;
import static dev.adjoint.processor.parse.MethodContext.show;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.YieldTree;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.AssignOp;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Renamed;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code switch} on an {@code int}, desugared into ifs as it is parsed, in its Java 17 forms: statements and
 * expressions, arrow cases and colon cases (with fall-through), several labels per case, {@code default} anywhere,
 * {@code yield}. The selector is evaluated once. A switch whose cases do not fall through becomes an
 * {@code if}/{@code else if} chain (default last, as the {@code else}); one where a case falls through into the
 * next first finds the case it enters by (an int, {@code entry}) and then runs each case from there on
 * ({@code if (entry <= k)}). A {@code break} that leaves the switch from inside a case (not as its last statement) is
 * kept, inside a {@link Stmt.Breakable} block, which lowering turns into a flag as it does a loop's: so
 * {@code break} breaks the switch and {@code continue} continues the loop around it.
 *
 * <p>A switch expression is supported as the whole of a declaration's initializer ({@code double y = switch ...},
 * also {@code var}), of an assignment ({@code y = switch ...}, {@code y += ...}, {@code a[i] = ...}), of a
 * {@code return}, or of a {@code yield} or case of another switch expression: each case then assigns the value
 * (its {@code yield} an assignment and a break to the switch's own label). Elsewhere inside an expression it is
 * ADJ013 with the local to declare, as are switches on other types, strings, enums and patterns.
 */
final class SwitchParser {
    private final MethodContext ctx;
    private final ExprParser exprs;
    private final StatementParser statements;
    /** How many switch expressions were parsed: their labels are {@code switch#1}, ..., which no Java label can be. */
    private int expressions;

    /** Where a switch expression's value goes: a variable, of a declared type or (for var) of its cases' type. */
    static final class Value {
        final Sym sym;
        /** The declared type, or null when the cases decide it (var, or a compound assignment's operand). */
        final Ty declared;
        /** The types of the values the cases give, for {@link #decided}. */
        final List<Ty> given = new ArrayList<>();

        Value(Sym sym, Ty declared) {
            this.sym = sym;
            this.declared = declared;
        }
    }

    SwitchParser(MethodContext ctx, ExprParser exprs, StatementParser statements) {
        this.ctx = ctx;
        this.exprs = exprs;
        this.statements = statements;
    }

    // ---------------------------------------------------------------- the contexts a switch may be in

    /** A switch statement, labeled {@code label} (or null). */
    void statement(SwitchTree tree, String label, List<Stmt> out) {
        Expr selector = selector(tree, tree.getExpression(), tree.getCases());
        if (selector == null) {
            return;
        }
        List<Expr>[] labels = labels(tree.getCases());
        if (labels == null) {
            return;
        }
        boolean colon = isColonForm(tree.getCases());
        List<Group> groups = new ArrayList<>();
        statements.enterSwitch(label);
        try {
            if (colon) {
                // the case groups of a switch block are one scope
                groups.addAll(colonGroups(tree.getCases(), labels));
            } else {
                for (int k = 0; k < tree.getCases().size(); k++) {
                    CaseTree c = tree.getCases().get(k);
                    groups.add(new Group(labels[k], isDefault(c), statements.body((StatementTree) c.getBody())
                            .stmts()));
                }
            }
        } finally {
            statements.exitJumpTarget();
        }
        Stmt s = desugar(selector, groups, colon, label, true, new Pos(tree));
        if (s != null) {
            out.add(s);
        }
    }

    /** {@code T name = switch ...;} (or {@code var}): the variable, then the switch that assigns it. */
    void declaration(VariableTree tree, SwitchExpressionTree sw, List<Stmt> out) {
        String name = tree.getName().toString();
        Tree typeTree = tree.getType();
        boolean inferred = typeTree == null || typeTree instanceof IdentifierTree id && id.getName().contentEquals("var");
        if (inferred) {
            // the variable is not in scope in its own initializer (javac rejects the use), and its type is the cases'
            Value value = new Value(ctx.newSym(name, Ty.DOUBLE, -1), null);
            Stmt s = expression(sw, value);
            Ty type = s == null ? null : decided(value, sw);
            if (type == null) {
                ctx.scope().declare(name, Scope.POISONED);
                return;
            }
            Sym sym = ctx.newSym(name, type, -1);
            ctx.scope().declare(name, sym);
            out.add(new Stmt.Decl(sym, null, new Pos(tree)));
            out.add(Renamed.of(new Stmt.Block(List.of(s), s.pos()), Map.of(value.sym, sym)).stmts().get(0));
            return;
        }
        Ty type = exprs.typeTree(typeTree, 0);
        if (type == null) {
            ctx.scope().declare(name, Scope.POISONED);
            return;
        }
        Sym sym = ctx.newSym(name, type, -1);
        ctx.scope().declare(name, sym);
        Stmt s = expression(sw, new Value(sym, type));
        if (s != null) {
            out.add(new Stmt.Decl(sym, null, new Pos(tree)));
            out.add(s);
        }
    }

    /** {@code target op= switch ...;}: a local, or an element whose array and index are variables or constants. */
    void assignment(Tree tree, ExpressionTree targetTree, AssignOp op, SwitchExpressionTree sw, List<Stmt> out) {
        Expr target = exprs.target(targetTree);
        if (target == null) {
            return;
        }
        Pos pos = new Pos(tree);
        if (target instanceof Expr.Var v && op == AssignOp.SET) {
            Stmt s = expression(sw, new Value(v.sym(), v.type()));
            if (s != null) {
                out.add(s);
            }
            return;
        }
        boolean element = target instanceof Expr.ArrayLoad;
        if (element && !(stable(((Expr.ArrayLoad) target).array()) && stable(((Expr.ArrayLoad) target).index()))) {
            ctx.error(ADJ013, sw, "switch expression assigned to " + show(targetTree) + ", whose array or index is "
                    + "computed", localFirst());
            return;
        }
        if (op == AssignOp.SET) {
            Value value = new Value(ctx.newSym(ctx.freshName("chosen"), target.type(), -1), target.type());
            Stmt s = expression(sw, value);
            if (s == null) {
                return;
            }
            if (assignsAny(s, target)) {
                ctx.error(ADJ013, sw, "switch expression that assigns the variables of " + show(targetTree)
                        + ", where it is stored", localFirst());
                return;
            }
            out.add(new Stmt.Decl(value.sym, null, pos));
            out.add(s);
            out.add(new Stmt.ExprStmt(new Expr.Assign(target, AssignOp.SET, var(value.sym), pos), pos));
            return;
        }
        // compound: the target's old value is read before the switch runs, as Java does
        Value value = new Value(ctx.newSym(ctx.freshName("chosen"), Ty.DOUBLE, -1), null);
        Stmt s = expression(sw, value);
        Ty type = s == null ? null : decided(value, sw);
        if (type == null) {
            return;
        }
        if (ExprParser.binaryType(op.binary, target.type(), type) == null || !target.type().isNumeric()) {
            ctx.error(ADJ026, tree, "operator " + op.symbol + " on " + target.type().java() + " and " + type.java(),
                    WayOuts.binary(op.binary, target.type(), type));
            return;
        }
        if (assignsAny(s, target)) {
            ctx.error(ADJ013, sw, "switch expression that assigns the variables of " + show(targetTree)
                    + ", which it updates", localFirst());
            return;
        }
        Sym chosen = ctx.newSym(value.sym.name(), type, -1);
        s = Renamed.of(new Stmt.Block(List.of(s), s.pos()), Map.of(value.sym, chosen)).stmts().get(0);
        if (element) {
            Sym old = ctx.newSym(ctx.freshName("old"), target.type(), -1);
            out.add(new Stmt.Decl(old, target, pos));
            out.add(new Stmt.Decl(chosen, null, pos));
            out.add(s);
            Ty t = op.binary == BinOp.SHL || op.binary == BinOp.SHR || op.binary == BinOp.USHR ? target.type()
                    : Ty.promote(target.type(), type);
            out.add(new Stmt.ExprStmt(new Expr.Assign(target, AssignOp.SET, new Expr.Binary(op.binary, var(old),
                    var(chosen), t, pos), pos), pos));
        } else {
            out.add(new Stmt.Decl(chosen, null, pos));
            out.add(s);
            out.add(new Stmt.ExprStmt(new Expr.Assign(target, op, var(chosen), pos), pos));
        }
    }

    /** {@code return switch ...;}: the value, then its return. */
    void returned(ReturnTree tree, SwitchExpressionTree sw, List<Stmt> out) {
        ctx.sawReturn();
        Ty declared = ctx.resultType();
        if (declared == null) {
            return; // the declared result was reported
        }
        Value value = new Value(ctx.newSym(ctx.freshName("chosen"), declared, -1), declared);
        Stmt s = expression(sw, value);
        if (s != null) {
            Pos pos = new Pos(tree);
            out.add(new Stmt.Decl(value.sym, null, pos));
            out.add(s);
            out.add(new Stmt.Return(var(value.sym), pos));
        }
    }

    /** {@code yield v;}: assigns the innermost switch expression's value and leaves it. */
    void yield(YieldTree tree, List<Stmt> out) {
        StatementParser.Target t = statements.innermostSwitchExpression();
        if (t == null) {
            ctx.error(ADJ001, tree, "yield outside a switch expression", "use yield only in a switch expression, to "
                    + "give the value of its case (yield <value>;); elsewhere, assign a variable");
            return;
        }
        give(tree.getValue(), t, out);
    }

    /** The value of a case: assigned to the switch's variable, then a break out of the switch. */
    private void give(ExpressionTree valueTree, StatementParser.Target t, List<Stmt> out) {
        Value value = t.value();
        Pos pos = new Pos(valueTree);
        ExpressionTree v = ExprParser.unparenthesize(valueTree);
        if (v instanceof SwitchExpressionTree nested) {
            Stmt s = expression(nested, value);
            if (s != null) {
                out.add(s);
                out.add(new Stmt.Break(t.label(), pos));
            }
            return;
        }
        Expr e = exprs.expr(valueTree, value.declared);
        if (e == null) {
            return;
        }
        if (value.declared != null && !ExprParser.assignable(e.type(), value.declared)) {
            ctx.error(ADJ026, valueTree, "a " + e.type().java() + " as the value of a switch expression of type "
                    + value.declared.java(), WayOuts.assignment(e.type(), value.declared, WayOuts.operand(
                            ExprParser.unparenthesize(valueTree), exprs::written)));
            return;
        }
        value.given.add(e.type());
        out.add(new Stmt.ExprStmt(new Expr.Assign(var(value.sym), AssignOp.SET, e, pos), pos));
        out.add(new Stmt.Break(t.label(), pos));
    }

    /** A switch expression, desugared: its cases assign {@code value}'s variable. Null after an error. */
    private Stmt expression(SwitchExpressionTree tree, Value value) {
        String label = "switch#" + ++expressions;
        Expr selector = selector(tree, tree.getExpression(), tree.getCases());
        if (selector == null) {
            return null;
        }
        List<Expr>[] labels = labels(tree.getCases());
        if (labels == null) {
            return null;
        }
        boolean hasDefault = false;
        for (CaseTree c : tree.getCases()) {
            hasDefault |= isDefault(c);
        }
        if (!hasDefault) {
            return ctx.error(ADJ013, tree, "switch expression without default", "add a default case (default -> "
                    + "<value>;): a switch expression must give a value for every int");
        }
        boolean colon = isColonForm(tree.getCases());
        StatementParser.Target target = statements.enterSwitchExpression(label, value);
        List<Group> groups = new ArrayList<>();
        try {
            if (colon) {
                groups.addAll(colonGroups(tree.getCases(), labels));
            } else {
                for (int k = 0; k < tree.getCases().size(); k++) {
                    CaseTree c = tree.getCases().get(k);
                    Tree body = c.getBody();
                    List<Stmt> stmts;
                    if (body instanceof BlockTree || body instanceof StatementTree) {
                        stmts = statements.body((StatementTree) body).stmts();
                    } else {
                        stmts = new ArrayList<>();
                        give((ExpressionTree) body, target, stmts);
                    }
                    groups.add(new Group(labels[k], isDefault(c), stmts));
                }
            }
        } finally {
            statements.exitJumpTarget();
        }
        return desugar(selector, groups, colon, label, false, new Pos(tree));
    }

    /**
     * @return the type of a switch expression whose cases decide it (Java's standalone switch expression: the
     *     numeric promotion of numbers, else the one type they share), or null after reporting that they share
     *     none
     */
    private Ty decided(Value value, Tree at) {
        Ty type = null;
        for (Ty t : value.given) {
            if (type == null) {
                type = t;
            } else if (type != t) {
                type = type.isNumeric() && t.isNumeric() ? Ty.promote(type, t) : null;
                if (type == null) {
                    break;
                }
            }
        }
        if (type == null) {
            return ctx.error(ADJ026, at, value.given.isEmpty() ? "switch expression whose cases give no value"
                    : "switch expression whose cases give values of types " + typesOf(value.given),
                    "give the same kind of value in every case: numbers, booleans or arrays of one type");
        }
        return type;
    }

    private static String typesOf(List<Ty> types) {
        List<String> names = new ArrayList<>();
        for (Ty t : types) {
            if (!names.contains(t.java())) {
                names.add(t.java());
            }
        }
        return String.join(" and ", names);
    }

    /** The way out of a switch expression where it is not supported: declare it as a local first. */
    private String localFirst() {
        String v = ctx.freshName("v");
        return "declare a local with the switch expression first (var " + v + " = switch (...) { ... };) and use "
                + v + " in its place";
    }

    // ---------------------------------------------------------------- selector and labels

    /**
     * Checks what the switch is on and parses its selector: an int. Reports the forms outside the subset (strings,
     * enums, patterns, other types) at the switch, once.
     *
     * @return the selector, or null after an error (and when it is a variable whose declaration was rejected)
     */
    private Expr selector(Tree sw, ExpressionTree selectorTree, List<? extends CaseTree> cases) {
        String what = sw instanceof SwitchExpressionTree ? "switch expression" : "switch";
        ExpressionTree s = ExprParser.unparenthesize(selectorTree);
        if (s instanceof IdentifierTree id && ctx.scope().lookup(id.getName().toString()) == Scope.POISONED) {
            return null; // its declaration was reported
        }
        int constants = 0;
        boolean allUnknownNames = true;
        String firstName = null;
        for (CaseTree c : cases) {
            for (Tree label : labelsOf(c)) {
                if (label.getKind().name().equals("DEFAULT_CASE_LABEL")) {
                    continue;
                }
                ExpressionTree e = constantOf(label);
                if (e == null || guarded(c)) {
                    return ctx.error(ADJ013, sw, what + " with a pattern (case " + show(label) + ")", "switch on "
                            + "an int with constant labels (case 1, 2 -> ...), or test the cases with if/else");
                }
                e = ExprParser.unparenthesize(e);
                if (e.getKind() == Tree.Kind.STRING_LITERAL) {
                    return ctx.error(ADJ013, sw, what + " on strings (case " + show(e) + ")", "decide what the "
                            + "string selects before the @Differentiable method and pass an int in its place, then "
                            + "switch on the int (case 0, case 1, ...)");
                }
                if (e.getKind() == Tree.Kind.NULL_LITERAL) {
                    return ctx.error(ADJ013, sw, what + " with case null", "remove case null: no value of a "
                            + "@Differentiable method is null");
                }
                constants++;
                if (e instanceof IdentifierTree id && ctx.scope().lookup(id.getName().toString()) == null
                        && ctx.resolver.fieldInScope(id.getName().toString()) == null) {
                    firstName = firstName == null ? id.getName().toString() : firstName;
                } else {
                    allUnknownNames = false;
                }
            }
        }
        if (constants > 0 && allUnknownNames) {
            return ctx.error(ADJ013, sw, what + " on an enum (case " + firstName + ")", "pass an int in place of "
                    + "the enum (its ordinal(), or a number each constant stands for) and switch on the int (case 0 "
                    + "-> ..., case 1 -> ...)");
        }
        Expr selector = exprs.expr(selectorTree);
        if (selector == null) {
            return null;
        }
        if (selector.type() != Ty.INT) {
            return ctx.error(ADJ013, sw, what + " on a " + selector.type().java() + " (" + exprs.written(s) + ")",
                    otherType(selector.type(), WayOuts.operand(s, exprs::written), cases));
        }
        return selector;
    }

    /** The way out of a switch on a type Java does not switch on (long, double, boolean, arrays). */
    private String otherType(Ty type, String selector, List<? extends CaseTree> cases) {
        if (type == Ty.BOOLEAN) {
            return "rewrite the switch as if/else: if (" + selector + ") { ... } else { ... }";
        }
        if (type.isArray()) {
            return "switch on an int (a number or an element), or rewrite the switch as if/else";
        }
        List<String> labels = new ArrayList<>();
        for (CaseTree c : cases) {
            for (ExpressionTree e : c.getExpressions()) {
                if (labels.size() < 2) {
                    labels.add(exprs.written(e));
                }
            }
        }
        while (labels.size() < 2) {
            labels.add("...");
        }
        String chain = "if (" + selector + " == " + labels.get(0) + ") { ... } else if (" + selector + " == "
                + labels.get(1) + ") { ... } else { ... }";
        return "rewrite the switch as if/else comparing " + selector + ": " + chain
                + (type == Ty.LONG ? ", or switch on (int) " + selector + " when its values fit in an int" : "");
    }

    /** @return per case, its constant labels parsed (ints; a char literal is its code), or null after an error */
    @SuppressWarnings("unchecked")
    private List<Expr>[] labels(List<? extends CaseTree> cases) {
        List<Expr>[] out = new List[cases.size()];
        boolean ok = true;
        for (int k = 0; k < cases.size(); k++) {
            out[k] = new ArrayList<>();
            for (ExpressionTree e : cases.get(k).getExpressions()) {
                ExpressionTree u = ExprParser.unparenthesize(e);
                if (u.getKind() == Tree.Kind.CHAR_LITERAL && ((LiteralTree) u).getValue() instanceof Character c) {
                    out[k].add(new Expr.Lit(String.valueOf((int) c), Ty.INT, new Pos(u)));
                    continue;
                }
                Expr label = exprs.expr(e);
                if (label == null) {
                    ok = false;
                } else if (label.type() != Ty.INT) {
                    ok = ctx.error(ADJ026, u, "a case label of type " + label.type().java() + " in a switch on an "
                            + "int", "write an int constant as the label") != null;
                } else {
                    out[k].add(label);
                }
            }
        }
        return ok ? out : null;
    }

    /** The groups of a colon-form switch block, which is one scope: each case's labels and its statements. */
    private List<Group> colonGroups(List<? extends CaseTree> cases, List<Expr>[] labels) {
        List<Group> groups = new ArrayList<>();
        ctx.push();
        try {
            for (int k = 0; k < cases.size(); k++) {
                CaseTree c = cases.get(k);
                groups.add(new Group(labels[k], isDefault(c), statements.statements(c.getStatements())));
            }
        } finally {
            ctx.pop();
        }
        return groups;
    }

    private static boolean isColonForm(List<? extends CaseTree> cases) {
        return cases.isEmpty() || cases.get(0).getCaseKind() == CaseTree.CaseKind.STATEMENT;
    }

    private static boolean isDefault(CaseTree c) {
        for (Tree label : labelsOf(c)) {
            if (label.getKind().name().equals("DEFAULT_CASE_LABEL")) {
                return true;
            }
        }
        return c.getExpressions().isEmpty() && labelsOf(c).isEmpty();
    }

    /**
     * The labels of a case: {@code CaseTree.getLabels()} where the JDK has it (17 has it as a preview API, called
     * reflectively so that no preview API is compiled against), else its expressions.
     */
    @SuppressWarnings("unchecked")
    private static List<? extends Tree> labelsOf(CaseTree c) {
        try {
            Object labels = CaseTree.class.getMethod("getLabels").invoke(c);
            if (labels instanceof List<?> list) {
                return (List<? extends Tree>) list;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a JDK without getLabels: only constants and default
        }
        return c.getExpressions();
    }

    /** @return the constant of a label (17: the expression itself; 21: a constant case label's), or null: a pattern */
    private static ExpressionTree constantOf(Tree label) {
        if (label instanceof ExpressionTree e) {
            return e;
        }
        if (label.getKind().name().equals("CONSTANT_CASE_LABEL")) {
            try {
                // through the public interface (JDK 21+): javac's implementation class is not exported, so a method
                // looked up on it cannot be invoked
                Class<?> api = Class.forName("com.sun.source.tree.ConstantCaseLabelTree");
                Object e = api.getMethod("getConstantExpression").invoke(label);
                return e instanceof ExpressionTree expr ? expr : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** @return whether the case has a guard ({@code when}, JDK 21) */
    private static boolean guarded(CaseTree c) {
        try {
            return CaseTree.class.getMethod("getGuard").invoke(c) != null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- desugaring

    /** A case: its labels' values (none for default alone), whether it is the default, its statements. */
    private record Group(List<Expr> labels, boolean isDefault, List<Stmt> body) {}

    /**
     * The ifs a switch is.
     *
     * @param colon     whether its cases are colon cases (which fall through, and whose block is one scope)
     * @param label     the label its breaks name (a switch expression's own, a switch statement's label or null)
     * @param unlabeled whether an unlabeled break leaves it (a switch statement)
     * @return the statement, or null when it does nothing
     */
    private Stmt desugar(Expr selector, List<Group> parsed, boolean colon, String label, boolean unlabeled,
            Pos pos) {
        List<Stmt> prelude = new ArrayList<>();
        Expr sel = selector;
        if (!(sel instanceof Expr.Var || sel instanceof Expr.Lit || sel instanceof Expr.StaticField)) {
            Sym s = ctx.newSym(ctx.freshName("selector"), Ty.INT, -1);
            prelude.add(new Stmt.Decl(s, sel, pos));
            sel = var(s);
        }
        // cases with only labels share the statements of the next (case 1: case 2: ...)
        List<Group> groups = new ArrayList<>();
        List<Expr> pending = new ArrayList<>();
        boolean pendingDefault = false;
        for (int k = 0; k < parsed.size(); k++) {
            Group g = parsed.get(k);
            List<Expr> labels = new ArrayList<>(pending);
            labels.addAll(g.labels());
            boolean isDefault = pendingDefault || g.isDefault();
            if (colon && g.body().isEmpty() && k + 1 < parsed.size()) {
                pending = labels;
                pendingDefault = isDefault;
                continue;
            }
            groups.add(new Group(labels, isDefault, g.body()));
            pending = new ArrayList<>();
            pendingDefault = false;
        }
        if (colon) {
            hoist(groups, prelude);
        }
        boolean fallsThrough = false;
        for (int k = 0; colon && k + 1 < groups.size(); k++) {
            fallsThrough |= !endsAbruptly(groups.get(k).body());
        }
        List<Stmt> stmts = new ArrayList<>(prelude);
        boolean breaks = false;
        if (!fallsThrough) {
            // an if/else if chain: a case's last break ends it anyway
            List<Group> cases = new ArrayList<>();
            Group otherwise = null;
            for (Group g : groups) {
                List<Stmt> body = withoutTrailingBreak(g.body(), label, unlabeled);
                breaks |= breaksOut(body, label, unlabeled);
                if (g.isDefault()) {
                    otherwise = new Group(g.labels(), true, body);
                } else {
                    cases.add(new Group(g.labels(), false, body));
                }
            }
            Stmt.Block elseBlock = otherwise == null || otherwise.body().isEmpty() ? null
                    : new Stmt.Block(otherwise.body(), pos);
            Stmt chain = null;
            for (int k = cases.size() - 1; k >= 0; k--) {
                Stmt.Block rest = chain == null ? elseBlock : new Stmt.Block(List.of(chain), pos);
                chain = new Stmt.If(matches(sel, cases.get(k).labels(), pos), new Stmt.Block(cases.get(k).body(),
                        pos), rest, pos);
            }
            if (chain == null) {
                chain = elseBlock;
            }
            if (chain != null) {
                stmts.add(chain);
            }
        } else {
            // the case entered, then each case from it on, until a break
            Sym entry = ctx.newSym(ctx.freshName("entry"), Ty.INT, -1);
            stmts.add(new Stmt.Decl(entry, new Expr.Lit(String.valueOf(groups.size()), Ty.INT, pos), pos));
            Stmt choose = null;
            for (int k = groups.size() - 1; k >= 0; k--) {
                if (groups.get(k).isDefault()) {
                    continue;
                }
                Stmt.Block rest = choose != null ? new Stmt.Block(List.of(choose), pos) : null;
                if (rest == null) {
                    for (int d = 0; d < groups.size(); d++) {
                        if (groups.get(d).isDefault()) {
                            rest = new Stmt.Block(List.of(setEntry(entry, d, pos)), pos);
                        }
                    }
                }
                choose = new Stmt.If(matches(sel, groups.get(k).labels(), pos),
                        new Stmt.Block(List.of(setEntry(entry, k, pos)), pos), rest, pos);
            }
            if (choose == null) {
                for (int d = 0; d < groups.size(); d++) {
                    if (groups.get(d).isDefault()) {
                        choose = setEntry(entry, d, pos);
                    }
                }
            }
            if (choose != null) {
                stmts.add(choose);
            }
            for (int k = 0; k < groups.size(); k++) {
                List<Stmt> body = k + 1 == groups.size() ? withoutTrailingBreak(groups.get(k).body(), label,
                        unlabeled) : groups.get(k).body();
                breaks |= breaksOut(body, label, unlabeled);
                if (!body.isEmpty()) {
                    Expr entered = new Expr.Binary(BinOp.LE, var(entry), new Expr.Lit(String.valueOf(k), Ty.INT, pos),
                            Ty.BOOLEAN, pos);
                    stmts.add(new Stmt.If(entered, new Stmt.Block(body, pos), null, pos));
                }
            }
        }
        if (breaks) {
            return new Stmt.Breakable(label, unlabeled, new Stmt.Block(stmts, pos), pos);
        }
        if (stmts.isEmpty()) {
            return null;
        }
        return stmts.size() == 1 ? stmts.get(0) : new Stmt.Block(stmts, pos);
    }

    private static Stmt setEntry(Sym entry, int k, Pos pos) {
        return new Stmt.ExprStmt(new Expr.Assign(var(entry), AssignOp.SET, new Expr.Lit(String.valueOf(k), Ty.INT,
                pos), pos), pos);
    }

    /** {@code sel == a || sel == b || ...}. */
    private static Expr matches(Expr sel, List<Expr> labels, Pos pos) {
        Expr any = null;
        for (Expr l : labels) {
            Expr eq = new Expr.Binary(BinOp.EQ, sel, l, Ty.BOOLEAN, pos);
            any = any == null ? eq : new Expr.Binary(BinOp.OR, any, eq, Ty.BOOLEAN, pos);
        }
        return any;
    }

    /**
     * A colon case's locals are in scope in the cases after it (a switch block is one scope): those a later case
     * uses are declared before the switch, and their declarations become assignments.
     */
    private static void hoist(List<Group> groups, List<Stmt> prelude) {
        for (int i = 0; i < groups.size(); i++) {
            List<Stmt> body = new ArrayList<>();
            boolean changed = false;
            for (Stmt s : groups.get(i).body()) {
                if (s instanceof Stmt.Decl d && usedAfter(groups, i, d.sym())) {
                    prelude.add(new Stmt.Decl(d.sym(), null, d.pos()));
                    if (d.init() != null) {
                        body.add(new Stmt.ExprStmt(new Expr.Assign(new Expr.Var(d.sym(), d.pos()), AssignOp.SET,
                                d.init(), d.pos()), d.pos()));
                    }
                    changed = true;
                } else {
                    body.add(s);
                }
            }
            if (changed) {
                Group g = groups.get(i);
                groups.set(i, new Group(g.labels(), g.isDefault(), body));
            }
        }
    }

    private static boolean usedAfter(List<Group> groups, int i, Sym sym) {
        boolean[] used = {false};
        for (int j = i + 1; j < groups.size(); j++) {
            IrWalker.forEachExpr(new Stmt.Block(groups.get(j).body(), Pos.NONE), e -> {
                if (e instanceof Expr.Var v && v.sym() == sym) {
                    used[0] = true;
                }
            });
        }
        return used[0];
    }

    /** @return whether a case's statements end in a jump (break, continue, return, throw), so do not fall through */
    private static boolean endsAbruptly(List<Stmt> body) {
        if (body.isEmpty()) {
            return false;
        }
        Stmt last = body.get(body.size() - 1);
        return last instanceof Stmt.Break || last instanceof Stmt.Continue || last instanceof Stmt.Return
                || last instanceof Stmt.Throw || last instanceof Stmt.Block b && endsAbruptly(b.stmts());
    }

    private static boolean isOwn(Stmt.Break b, String label, boolean unlabeled) {
        return b.label() == null ? unlabeled : b.label().equals(label);
    }

    /** The statements without a last break that leaves this switch (the case ends there anyway). */
    private static List<Stmt> withoutTrailingBreak(List<Stmt> body, String label, boolean unlabeled) {
        if (!body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Break b && isOwn(b, label, unlabeled)) {
            return body.subList(0, body.size() - 1);
        }
        return body;
    }

    /** @return whether a break in {@code body} leaves this switch (one in a nested loop or switch leaves that) */
    private static boolean breaksOut(List<Stmt> body, String label, boolean unlabeled) {
        boolean[] found = {false};
        for (Stmt s : body) {
            breaksOut(s, label, unlabeled, found);
        }
        return found[0];
    }

    private static void breaksOut(Stmt s, String label, boolean unlabeled, boolean[] found) {
        if (s instanceof Stmt.Break b) {
            found[0] |= isOwn(b, label, unlabeled);
        } else if (s instanceof Stmt.Block b) {
            b.stmts().forEach(x -> breaksOut(x, label, unlabeled, found));
        } else if (s instanceof Stmt.If i) {
            breaksOut(i.then(), label, unlabeled, found);
            if (i.otherwise() != null) {
                breaksOut(i.otherwise(), label, unlabeled, found);
            }
        } else {
            // in a loop or a nested switch, an unlabeled break leaves that: only a break to this switch's label
            // leaves this one
            IrWalker.forEachStmt(s, x -> found[0] |= x instanceof Stmt.Break b && b.label() != null
                    && b.label().equals(label));
        }
    }

    /** @return whether an expression is a variable or a constant (read where it is, the same before and after) */
    private static boolean stable(Expr e) {
        return e instanceof Expr.Var || e instanceof Expr.Lit || e instanceof Expr.StaticField;
    }

    /** @return whether {@code s} assigns a variable that {@code target} reads */
    private static boolean assignsAny(Stmt s, Expr target) {
        java.util.Set<Sym> read = new java.util.HashSet<>();
        IrWalker.visit(target, e -> {
            if (e instanceof Expr.Var v) {
                read.add(v.sym());
            }
        });
        boolean[] found = {false};
        IrWalker.forEachExpr(s, e -> {
            Expr t = e instanceof Expr.Assign a ? a.target() : e instanceof Expr.IncDec i ? i.target() : null;
            if (t instanceof Expr.Var v && read.contains(v.sym())) {
                found[0] = true;
            }
        });
        return found[0];
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }
}
