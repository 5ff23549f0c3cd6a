package dev.adjoint.processor.transform;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.AdjointPlan;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.emit.ExprPrinter;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Rules;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse mode. Each lowered statement becomes a pair ({@link StmtDiff}): its forward part, the original
 * computation plus whatever the reverse sweep will need saved, and its reverse part, which restores what the
 * statement overwrote and propagates adjoints from its result to its operands by the rules of {@link Rules}.
 * Blocks reverse their statements' reverse parts; loops run backwards; branches take the branch the forward sweep
 * took.
 *
 * <p>Naming: the adjoint of {@code x} (∂result/∂x) is {@code xBar}; temporaries are {@code t1}, {@code t2}, ...;
 * trip counts are {@code trips1}, ...; every generated name is hygienic ({@link Names}).
 */
public final class ReverseMode {
    /** A statement's forward and reverse parts. */
    public record StmtDiff(CodeBlock forward, CodeBlock reverse) {}

    private static final com.palantir.javapoet.ClassName BUFFERS =
            com.palantir.javapoet.ClassName.get("dev.adjoint.runtime", "Buffers");

    private final Activity activity;
    private final Tbr tbr;
    private final Names names;
    private final ExprPrinter printer;
    private final String tape;
    private final Core.Block top;
    private final Map<Sym, String> bars = new LinkedHashMap<>();
    private boolean usesTape;
    private int temps;
    private int loops;

    /**
     * @param top      the lowered, expanded body
     * @param activity its activity
     * @param tbr      what to save
     * @param names    the method's hygienic names
     * @param printer  prints expressions
     * @param tapeName the name of the tape local
     */
    public ReverseMode(Core.Block top, Activity activity, Tbr tbr, Names names, ExprPrinter printer, String tapeName) {
        this.top = top;
        this.activity = activity;
        this.tbr = tbr;
        this.names = names;
        this.printer = printer;
        this.tape = tapeName;
    }

    /** @return the forward and reverse sweeps of the whole body (its top-level adjoints declared by the caller) */
    public StmtDiff sweeps() {
        return block(top, true);
    }

    /** @return whether any statement uses the tape */
    public boolean usesTape() {
        return usesTape;
    }

    /** @return the adjoint's name of an active variable */
    public String bar(Sym s) {
        return bars.computeIfAbsent(s, k -> names.fresh(printer.name(k) + "Bar"));
    }

    /** @return the active scalar locals declared directly in the top-level block, whose adjoints start at zero */
    public List<Sym> topLevelScalars() {
        List<Sym> r = new ArrayList<>();
        for (Core c : top.stmts()) {
            if (c instanceof Core.Declare d && activity.isActive(d.sym()) && d.sym().type() == Ty.DOUBLE) {
                r.add(d.sym());
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- statements

    private StmtDiff block(Core.Block b, boolean isTop) {
        CodeBlock.Builder fwd = CodeBlock.builder();
        List<CodeBlock> revParts = new ArrayList<>();
        for (Core c : b.stmts()) {
            StmtDiff d = stmt(c);
            fwd.add(d.forward());
            if (!d.reverse().isEmpty()) {
                revParts.add(d.reverse());
            }
        }
        CodeBlock.Builder rev = CodeBlock.builder();
        if (!isTop) {
            List<Sym> saved = tbr.saves(b);
            if (!saved.isEmpty() && completesNormally(b)) {
                fwd.add("// save for the reverse sweep: $L\n", String.join(", ", saved.stream().map(printer::name).toList()));
                for (Sym s : saved) {
                    fwd.addStatement("$L", push(printer.name(s), s.type()));
                    if (s.type().isArray() && activity.isActive(s)) {
                        fwd.addStatement("$L.pushRef($L)", tapeName(), bar(s));
                    }
                }
                for (int k = saved.size() - 1; k >= 0; k--) {
                    Sym s = saved.get(k);
                    if (s.type().isArray() && activity.isActive(s)) {
                        rev.addStatement("$L $L = ($L) $L.popRef()", s.type().java(), bar(s), s.type().java(),
                                tapeName());
                    }
                    rev.addStatement("$L $L = $L", s.type().java(), printer.name(s), pop(s.type()));
                }
            }
            if (!revParts.isEmpty()) {
                for (Core c : b.stmts()) {
                    if (c instanceof Core.Declare d && activity.isActive(d.sym()) && d.sym().type() == Ty.DOUBLE) {
                        rev.addStatement("double $L = 0.0", bar(d.sym()));
                    }
                }
            }
        }
        if (revParts.isEmpty() && rev.isEmpty()) {
            return new StmtDiff(fwd.build(), CodeBlock.builder().build());
        }
        for (int k = revParts.size() - 1; k >= 0; k--) {
            rev.add(revParts.get(k));
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    private StmtDiff stmt(Core c) {
        if (c instanceof Core.Block b) {
            StmtDiff d = block(b, false);
            return new StmtDiff(braces(d.forward()), d.reverse().isEmpty() ? d.reverse() : braces(d.reverse()));
        } else if (c instanceof Core.Declare d) {
            return declare(d);
        } else if (c instanceof Core.Assign a) {
            return assign(a);
        } else if (c instanceof Core.Eval e) {
            return new StmtDiff(CodeBlock.of("$L;\n", printer.print(e.call())), CodeBlock.builder().build());
        } else if (c instanceof Core.If i) {
            return branch(i);
        } else if (c instanceof Core.Loop l) {
            return l.counted() != null ? counted(l) : loop(l);
        } else if (c instanceof Core.Throw t) {
            return new StmtDiff(CodeBlock.of("throw $L;\n", t.source()), CodeBlock.builder().build());
        }
        throw new IllegalStateException("unhandled statement " + c.getClass().getSimpleName());
    }

    private static CodeBlock braces(CodeBlock inner) {
        return CodeBlock.builder().add("{\n").indent().add(inner).unindent().add("}\n").build();
    }

    private StmtDiff declare(Core.Declare d) {
        Sym s = d.sym();
        CodeBlock.Builder fwd = CodeBlock.builder();
        fwd.addStatement("$L $L = $L", s.type().java(), printer.name(s), printer.print(d.init()));
        CodeBlock.Builder rev = CodeBlock.builder();
        if (activity.isActive(s)) {
            if (s.type().isArray()) {
                fwd.addStatement("$L $L = $L", s.type().java(), bar(s), barInit(new Expr.Var(s, d.pos()), d.init()));
            } else if (activity.isActive(d.init())) {
                AdjointPlan plan = tbr.plan(d);
                rev.add("// $L $L = $L\n", s.type().java(), printer.name(s), printer.print(d.init()));
                Map<Expr, String> values = new IdentityHashMap<>();
                if (plan.rootNeeded()) {
                    values.put(d.init(), printer.name(s));
                }
                propagate(plan, d.init(), bar(s), values, rev);
            }
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    private StmtDiff assign(Core.Assign a) {
        Expr target = a.target();
        Sym root = CoreWalk.root(target);
        boolean pushed = tbr.pushes(a);
        String targetText = printer.print(target);
        CodeBlock.Builder fwd = CodeBlock.builder();
        CodeBlock.Builder rev = CodeBlock.builder();
        boolean activeArray = target.type().isArray() && activity.isActive(root);
        if (pushed) {
            fwd.addStatement("$L", push(targetText, target.type()));
            if (activeArray) {
                fwd.addStatement("$L.pushRef($L)", tapeName(), barText(target));
            }
        }
        fwd.addStatement("$L = $L", targetText, printer.print(a.value()));
        if (activeArray) {
            fwd.addStatement("$L = $L", barText(target), barInit(target, a.value()));
        }
        boolean activeTarget = !target.type().isArray() && activity.isActive(root);
        if (activeTarget) {
            rev.add("// $L = $L\n", targetText, printer.print(a.value()));
        }
        Map<Expr, String> values = new IdentityHashMap<>();
        AdjointPlan plan = tbr.plan(a);
        if (activeTarget && plan != null && plan.rootNeeded() && target instanceof Expr.Var) {
            if (pushed) {
                String t = names.fresh("t" + (++temps));
                rev.addStatement("double $L = $L", t, targetText);
                values.put(a.value(), t);
            } else {
                values.put(a.value(), targetText);
            }
        }
        if (pushed) {
            if (activeArray) {
                rev.addStatement("$L = ($L) $L.popRef()", barText(target), target.type().java(), tapeName());
            }
            rev.addStatement("$L = $L", targetText, pop(target.type()));
        }
        if (activeTarget) {
            String g = barText(target);
            if (plan == null) {
                rev.addStatement("$L = 0.0", g);
            } else if (!writesOwnAdjoint(a, target, a.value())) {
                propagate(plan, a.value(), g, values, rev);
                rev.addStatement("$L = 0.0", g);
            } else if (selfChild(a, target, a.value()) >= 0) {
                // the target is one direct operand of the value (z = z + e, z = z * a): the other operands take
                // their share of zBar first, then zBar is scaled by the target's own partial derivative
                int k = selfChild(a, target, a.value());
                emitTemps(plan, a.value(), values, rev);
                downChildren(plan, a.value(), g, false, values, rev, k);
                Rule rule = Rules.of(a.value());
                List<Expr> args = AdjointPlan.args(a.value());
                String term = fill(rule.term(k, plan.othersActive(args, k)), args, a.value(), g, values);
                String comment = rule.name() + ": " + rule.partials().get(k);
                if (term.equals(g) && !rule.negated().get(k)) {
                    rev.add("// $L is unchanged: $L\n", g, comment);
                } else {
                    String scaled = rule.negated().get(k)
                            ? "-" + (ExprPrinter.isAtomicText(term) ? term : "(" + term + ")") : term;
                    rev.add("$L = $L; // $L\n", g, scaled, comment);
                }
            } else {
                String g0 = names.fresh("t" + (++temps) + "Bar");
                rev.addStatement("double $L = $L", g0, g);
                rev.addStatement("$L = 0.0", g);
                propagate(plan, a.value(), g0, values, rev);
            }
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    /**
     * @return whether propagating {@code value} may write the adjoint of {@code target} itself: the same variable,
     *     or an element of an array that may be the target's array at statement {@code at} (adjoint arrays alias as
     *     their arrays do)
     */
    private boolean writesOwnAdjoint(Core at, Expr target, Expr value) {
        boolean[] found = {false};
        dev.adjoint.processor.ir.IrWalker.visit(value, x -> {
            if (!activity.isActive(x)) {
                return;
            }
            if (target instanceof Expr.Var tv && x instanceof Expr.Var v && v.sym() == tv.sym()) {
                found[0] = true;
            } else if (target instanceof Expr.ArrayLoad tl && x instanceof Expr.ArrayLoad al && !x.type().isArray()
                    && activity.mayAlias(al.array(), tl.array(), at)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    private StmtDiff branch(Core.If i) {
        if (i.otherwise().stmts().size() == 1 && i.otherwise().stmts().get(0) instanceof Core.If) {
            return chain(i);
        }
        StmtDiff t = block(i.then(), false);
        StmtDiff e = block(i.otherwise(), false);
        boolean thenEnds = completesNormally(i.then());
        boolean elseEnds = completesNormally(i.otherwise());
        boolean work = !t.reverse().isEmpty() || !e.reverse().isEmpty();
        // a branch that throws never reaches the reverse sweep: when only one branch can end normally,
        // the reverse sweep knows it was taken and nothing is recorded
        boolean record = work && thenEnds && elseEnds;
        CodeBlock.Builder fwd = CodeBlock.builder();
        fwd.beginControlFlow("if ($L)", printer.print(i.cond()));
        fwd.add(t.forward());
        if (record) {
            fwd.addStatement("$L.pushBoolean(true)", tapeName());
        }
        if (!i.otherwise().stmts().isEmpty() || record) {
            fwd.nextControlFlow("else");
            fwd.add(e.forward());
            if (record) {
                fwd.addStatement("$L.pushBoolean(false)", tapeName());
            }
        }
        fwd.endControlFlow();
        CodeBlock.Builder rev = CodeBlock.builder();
        if (record) {
            if (t.reverse().isEmpty()) {
                rev.beginControlFlow("if (!$L.popBoolean())", tapeName());
                rev.add(e.reverse());
            } else {
                rev.beginControlFlow("if ($L.popBoolean())", tapeName());
                rev.add(t.reverse());
                if (!e.reverse().isEmpty()) {
                    rev.nextControlFlow("else");
                    rev.add(e.reverse());
                }
            }
            rev.endControlFlow();
        } else if (work && thenEnds && !elseEnds) {
            rev.add(t.reverse());
        } else if (work && elseEnds && !thenEnds) {
            rev.add(e.reverse());
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    /**
     * An else-if chain: written as one flat chain in both sweeps (not as ifs nested in elses, which would nest
     * deeper than the user's code), recording which arm ran as one int.
     */
    private StmtDiff chain(Core.If first) {
        List<Expr> conds = new ArrayList<>();
        List<Core.Block> arms = new ArrayList<>();
        Core.If at = first;
        while (true) {
            conds.add(at.cond());
            arms.add(at.then());
            Core.Block rest = at.otherwise();
            if (rest.stmts().size() == 1 && rest.stmts().get(0) instanceof Core.If next) {
                at = next;
            } else {
                arms.add(rest);
                break;
            }
        }
        List<StmtDiff> diffs = new ArrayList<>();
        boolean work = false;
        int ending = 0;
        for (Core.Block arm : arms) {
            StmtDiff d = block(arm, false);
            diffs.add(d);
            work |= !d.reverse().isEmpty();
            ending += completesNormally(arm) ? 1 : 0;
        }
        boolean record = work && ending > 1;
        CodeBlock.Builder fwd = CodeBlock.builder();
        for (int k = 0; k < arms.size(); k++) {
            boolean last = k == arms.size() - 1;
            if (last && arms.get(k).stmts().isEmpty() && !record) {
                break;
            }
            if (k == 0) {
                fwd.beginControlFlow("if ($L)", printer.print(conds.get(0)));
            } else if (!last) {
                fwd.nextControlFlow("else if ($L)", printer.print(conds.get(k)));
            } else {
                fwd.nextControlFlow("else");
            }
            fwd.add(diffs.get(k).forward());
            if (record && completesNormally(arms.get(k))) {
                fwd.addStatement("$L.pushInt($L)", tapeName(), k);
            }
        }
        fwd.endControlFlow();
        CodeBlock.Builder rev = CodeBlock.builder();
        if (record) {
            rev.add("switch ($L.popInt()) {\n", tapeName()).indent();
            for (int k = 0; k < arms.size(); k++) {
                if (!diffs.get(k).reverse().isEmpty()) {
                    rev.add("case $L -> {\n", k).indent().add(diffs.get(k).reverse()).unindent().add("}\n");
                }
            }
            rev.unindent().add("}\n");
        } else if (work) {
            for (int k = 0; k < arms.size(); k++) {
                if (completesNormally(arms.get(k))) {
                    rev.add(diffs.get(k).reverse()); // the only arm that can end normally
                }
            }
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    private StmtDiff counted(Core.Loop l) {
        Core.Counted c = l.counted();
        Sym i = c.index();
        String index = printer.name(i);
        String from = printer.print(c.from());
        String bound = printer.print(c.bound());
        String type = i.type().java();
        String one = i.type() == Ty.LONG ? "1L" : "1";
        StmtDiff body = block(l.body(), false);
        CodeBlock.Builder fwd = CodeBlock.builder();
        fwd.beginControlFlow("for ($L $L = $L; $L $L $L; $L$L)", type, index, from, index, c.cmp().symbol,
                bound, index, c.step() > 0 ? "++" : "--");
        fwd.add(body.forward());
        fwd.endControlFlow();
        CodeBlock.Builder rev = CodeBlock.builder();
        if (!body.reverse().isEmpty()) {
            String boundOperand = ExprPrinter.isAtomicText(bound) ? bound : "(" + bound + ")";
            String last = switch (c.cmp()) {
                case LT -> boundOperand + " - " + one;
                case GT -> boundOperand + " + " + one;
                default -> bound;
            };
            rev.beginControlFlow("for ($L $L = $L; $L $L $L; $L$L)", type, index, last, index,
                    c.step() > 0 ? ">=" : "<=", from, index, c.step() > 0 ? "--" : "++");
            rev.add(body.reverse());
            rev.endControlFlow();
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    private StmtDiff loop(Core.Loop l) {
        StmtDiff pre = block(l.preCond(), false);
        StmtDiff body = block(l.body(), false);
        StmtDiff update = block(l.update(), false);
        boolean reverse = !pre.reverse().isEmpty() || !body.reverse().isEmpty() || !update.reverse().isEmpty();
        String trips = reverse ? names.fresh("trips" + (++loops)) : null;
        String cond = printer.print(l.cond());
        CodeBlock.Builder fwd = CodeBlock.builder();
        if (reverse) {
            fwd.addStatement("int $L = 0", trips);
        }
        if (!l.testFirst()) {
            fwd.beginControlFlow("do");
            if (reverse) {
                fwd.addStatement("$L++", trips);
            }
            fwd.add(body.forward());
            fwd.unindent().add("} while ($L);\n", cond);
        } else if (l.preCond().stmts().isEmpty()) {
            fwd.beginControlFlow("while ($L)", cond);
            if (reverse) {
                fwd.addStatement("$L++", trips);
            }
            fwd.add(body.forward());
            fwd.add(update.forward());
            fwd.endControlFlow();
        } else {
            fwd.beginControlFlow("while (true)");
            fwd.add(pre.forward());
            fwd.beginControlFlow("if ($L)", printer.print(
                    new Expr.Unary(Expr.UnOp.NOT, l.cond(), Ty.BOOLEAN, l.cond().pos())));
            fwd.addStatement("break");
            fwd.endControlFlow();
            if (reverse) {
                fwd.addStatement("$L++", trips);
            }
            fwd.add(body.forward());
            fwd.add(update.forward());
            fwd.endControlFlow();
        }
        CodeBlock.Builder rev = CodeBlock.builder();
        if (reverse) {
            fwd.addStatement("$L.pushInt($L)", tapeName(), trips);
            String left = names.fresh("remaining" + loops);
            if (l.testFirst() && !pre.reverse().isEmpty()) {
                // the tests ran once more than the body: the one that ended the loop is undone first, and each
                // test is written once (its reverse declares locals and temporaries)
                rev.beginControlFlow("for (int $L = $L.popInt(); ; $L--)", left, tapeName(), left);
                rev.add(pre.reverse());
                rev.beginControlFlow("if ($L == 0)", left);
                rev.addStatement("break");
                rev.endControlFlow();
            } else {
                rev.beginControlFlow("for (int $L = $L.popInt(); $L > 0; $L--)", left, tapeName(), left, left);
            }
            rev.add(update.reverse());
            rev.add(body.reverse());
            rev.endControlFlow();
        }
        return new StmtDiff(fwd.build(), rev.build());
    }

    /** @return whether the block can run to its end (it does not end by throwing) */
    static boolean completesNormally(Core.Block b) {
        if (b.stmts().isEmpty()) {
            return true;
        }
        Core last = b.stmts().get(b.stmts().size() - 1);
        if (last instanceof Core.Throw) {
            return false;
        } else if (last instanceof Core.Block inner) {
            return completesNormally(inner);
        } else if (last instanceof Core.If i) {
            return completesNormally(i.then()) || completesNormally(i.otherwise());
        } else if (last instanceof Core.Loop l) {
            return l.counted() != null || !(l.cond() instanceof Expr.Lit lit && lit.text().equals("true"));
        }
        return true;
    }

    // ---------------------------------------------------------------- adjoint propagation

    private void propagate(AdjointPlan plan, Expr value, String g, Map<Expr, String> values, CodeBlock.Builder out) {
        emitTemps(plan, value, values, out);
        down(plan, value, g, false, values, out);
    }

    /** Computes, bottom-up, the values of the interior nodes that rules read. */
    private void emitTemps(AdjointPlan plan, Expr n, Map<Expr, String> values, CodeBlock.Builder out) {
        if (!activity.isActive(n) || AdjointPlan.isLeaf(n)) {
            return;
        }
        for (Expr a : AdjointPlan.args(n)) {
            emitTemps(plan, a, values, out);
        }
        if (plan.isNeeded(n) && !values.containsKey(n)) {
            String t = names.fresh("t" + (++temps));
            out.addStatement("double $L = $L", t, printer.with(values::get).print(n));
            values.put(n, t);
        }
    }

    /** Propagates adjoint {@code g} of node {@code n} to its operands, by {@code n}'s rule. */
    private void down(AdjointPlan plan, Expr n, String g, boolean negate, Map<Expr, String> values,
            CodeBlock.Builder out) {
        if (!activity.isActive(n)) {
            return;
        }
        if (AdjointPlan.isLeaf(n)) {
            accumulate(n, g, negate, "identity: dx/dx = 1", out);
            return;
        }
        downChildren(plan, n, g, negate, values, out, -1);
    }

    /** Propagates {@code g} from {@code n} to each active operand but the one at {@code skip}. */
    private void downChildren(AdjointPlan plan, Expr n, String g, boolean negate, Map<Expr, String> values,
            CodeBlock.Builder out, int skip) {
        Rule rule = Rules.of(n);
        if (rule == null) {
            throw new IllegalStateException("no rule for " + n);
        }
        List<Expr> args = AdjointPlan.args(n);
        for (int k = 0; k < args.size(); k++) {
            Expr child = args.get(k);
            boolean others = plan.othersActive(args, k);
            String template = rule.term(k, others);
            if (k == skip || !activity.isActive(child) || template == null) {
                continue;
            }
            String term = fill(template, args, n, g, values);
            boolean neg = negate ^ rule.negated().get(k);
            String comment = rule.name() + ": " + rule.partials().get(k);
            if (AdjointPlan.isLeaf(child)) {
                accumulate(child, term, neg, comment, out);
            } else if (term.equals(g)) {
                down(plan, child, g, neg, values, out);
            } else {
                String t = values.containsKey(child) ? values.get(child) + "Bar" : "t" + (++temps) + "Bar";
                t = names.fresh(t);
                // the temporary holds d(result)/d(child), sign included, as its name promises
                out.add("double $L = $L; // $L\n", t, neg ? negated(term) : term, comment);
                down(plan, child, t, false, values, out);
            }
        }
    }

    /**
     * @return the position of the operand of {@code value}'s root that is the target itself, when the target
     *     occurs exactly there and nowhere else in {@code value}; -1 otherwise
     */
    private int selfChild(Core at, Expr target, Expr value) {
        if (!(target instanceof Expr.Var) || AdjointPlan.isLeaf(value) || Rules.of(value) == null) {
            return -1;
        }
        List<Expr> args = AdjointPlan.args(value);
        int found = -1;
        for (int k = 0; k < args.size(); k++) {
            Expr a = args.get(k);
            if (a instanceof Expr.Var v && v.sym() == ((Expr.Var) target).sym()) {
                if (found >= 0) {
                    return -1;
                }
                found = k;
            } else if (writesOwnAdjoint(at, target, a)) {
                return -1;
            }
        }
        if (found >= 0 && Rules.of(value).terms().get(found) == null) {
            return -1; // x * x: the square rule puts both shares on the first operand
        }
        return found;
    }

    private String fill(String template, List<Expr> args, Expr node, String g, Map<Expr, String> values) {
        String s = template;
        for (int j = 0; j < args.size(); j++) {
            s = s.replace("{" + j + "}", operandText(args.get(j), values));
        }
        if (s.contains("{z}")) {
            s = s.replace("{z}", operandText(node, values));
        }
        s = s.replace("{g}", ExprPrinter.isAtomicText(g) ? g : "(" + g + ")");
        return printer.math().equals("Math") ? s : s.replaceAll("(?<![\\w.])Math\\.", printer.math() + ".");
    }

    private String operandText(Expr e, Map<Expr, String> values) {
        String v = values.get(e);
        if (v != null) {
            return ExprPrinter.isAtomicText(v) ? v : "(" + v + ")";
        }
        return printer.with(values::get).operand(e);
    }

    /** {@code -term}: exact in floating point, so the adjoint is the one {@code -=} would have given. */
    private static String negated(String term) {
        return ExprPrinter.isAtomicText(term) ? "-" + term : "-(" + term + ")";
    }

    private void accumulate(Expr leaf, String term, boolean negate, String comment, CodeBlock.Builder out) {
        String bar = barText(leaf);
        String op = negate ? "-=" : "+=";
        if (comment == null) {
            out.addStatement("$L $L $L", bar, op, term);
        } else {
            out.add("$L $L $L; // $L\n", bar, op, term, comment);
        }
    }

    // ---------------------------------------------------------------- names and storage

    /** @return the adjoint of a variable or array element, e.g. {@code wBar[j]} */
    private String barText(Expr e) {
        if (e instanceof Expr.Var v) {
            return bar(v.sym());
        } else if (e instanceof Expr.ArrayLoad al) {
            return barText(al.array()) + "[" + printer.print(al.index()) + "]";
        }
        throw new IllegalStateException("no adjoint for " + e);
    }

    /** @return how the adjoint array of an active array variable is made when the variable is assigned */
    private CodeBlock barInit(Expr target, Expr value) {
        String t = printer.print(target);
        if (value instanceof Expr.NewArray n) {
            if (n.type() == Ty.DOUBLE_ARRAY) {
                return CodeBlock.of("new double[$L.length]", t);
            }
            if (n.dims().size() < 2) {
                return CodeBlock.of("new double[$L.length][]", t);
            }
        } else if (value instanceof Expr.Var || value instanceof Expr.ArrayLoad) {
            Sym src = CoreWalk.root(value);
            if (activity.isActive(src)) {
                return CodeBlock.of("$L", barText(value));
            }
        } else if (value instanceof Expr.Lit l && l.text().equals("null")) {
            return CodeBlock.of("null");
        }
        return CodeBlock.of("$T.like($L)", BUFFERS, t);
    }

    private String tapeName() {
        usesTape = true;
        return tape;
    }

    private String push(String text, Ty t) {
        return tapeName() + ".push" + kind(t) + "(" + text + ")";
    }

    private String pop(Ty t) {
        String p = tapeName() + ".pop" + kind(t) + "()";
        return t.isArray() ? "(" + t.java() + ") " + p : p;
    }

    private static String kind(Ty t) {
        return switch (t) {
            case DOUBLE -> "Double";
            case INT -> "Int";
            case LONG -> "Long";
            case BOOLEAN -> "Boolean";
            default -> "Ref";
        };
    }
}
