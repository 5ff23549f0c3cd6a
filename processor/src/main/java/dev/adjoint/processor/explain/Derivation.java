package dev.adjoint.processor.explain;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.Registry;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A derivative as the paper derives it, in its four steps, for a method of straight-line scalar code:
 * <ol>
 *   <li>intermediate variables, one operation each ({@code u1 = x²}, {@code u2 = sin(u1)});</li>
 *   <li>each one's partial derivatives with respect to its operands, with the rule that gives them (the rules of the
 *       registry, the same ones the transforms apply, filled in with the operands);</li>
 *   <li>the chain rule combining them ({@code du2/dx = ∂u2/∂u1 · du1/dx}, the single-variable total-derivative
 *       form);</li>
 *   <li>the result after substitution and {@link Algebra simplification}: {@code d/dx sin(x²) = 2·x·cos(x²)}.</li>
 * </ol>
 * Loops, branches and arrays are not derived here yet ({@link #whyNot}).
 *
 * @param steps    the intermediate variables, in order
 * @param result   the intermediate (or input) the method returns, and its formula in the inputs
 * @param value    the returned value in terms of the inputs, simplified
 * @param gradient for each differentiated parameter, the derivative of the result, substituted and simplified
 * @param whyNot   null when the method was derived; else what kept it from being (and the fields above are empty)
 * @param locals   when it was not: each statement derived on its own, as it runs ({@link Local}); else empty
 * @param groups   the method's top-level loops and branches, which the data-flow picture folds into one node each
 */
public record Derivation(List<Intermediate> steps, Formula result, Formula value, Map<String, Formula> gradient,
        String whyNot, List<Local> locals, List<Group> groups) {

    /**
     * A statement of a method with loops, branches or arrays, derived on its own, each time it runs: its
     * intermediate variables, their partials, the chain rule, and then the derivative of what it assigns with
     * respect to each operand it reads (a variable or an element), substituted and simplified. The reverse sweep
     * applies exactly that, each run, the last run first: {@code v̄ += ∂target/∂v · target̄}.
     *
     * @param target      what it assigns ({@code s}, {@code x[i]}; {@code f} for the value returned)
     * @param value       its value in its operands, simplified; null with a note
     * @param where       when it runs ({@code in each trip of the loop over i, when x > 0}); empty at the top
     * @param group       the top-level loop or branch it is in ({@link #groups}), or -1
     * @param steps       its intermediate variables (numbered on from the statements before it)
     * @param local       ∂target/∂v for each operand v, the target's old value included when it is read
     * @param accumulates whether the target is among its own operands ({@code s = s + e}): its adjoint is then
     *                    scaled by ∂target/∂target, not reset
     * @param declares    whether it declares its target (or is the {@code return}): there is no old value
     * @param at          its position
     * @param note        why it was not derived (an operation with no closed form here), or null
     */
    public record Local(String target, Formula value, String where, int group, List<Intermediate> steps,
            Map<String, Formula> local, boolean accumulates, boolean declares, Pos at, String note) {}

    /**
     * A top-level loop or branch, which the data-flow picture folds into one node.
     *
     * @param label its short name: {@code for i}, {@code while}, {@code if x > 0}
     * @param at    its position
     */
    public record Group(String label, Pos at) {}

    /**
     * One intermediate variable.
     *
     * @param name     {@code u1}, ...
     * @param op       its operation on inputs, constants and earlier intermediates
     * @param partials its partial derivatives with respect to those operands that are not constants
     * @param chain    for each differentiated parameter, the chain rule's terms: each partial times the operand's
     *                 derivative ({@code du/dx = Σ ∂u/∂v · dv/dx}), as written before substitution
     * @param at       where in the source its operation is
     */
    public record Intermediate(String name, Formula op, List<Partial> partials, Map<String, Formula> chain, Pos at) {}

    /**
     * @param operand the operand, by its name in the explanation ({@code x}, {@code u1})
     * @param value   ∂u/∂operand, simplified, in terms of the operands
     * @param rule    the rule's name, the paper's wording ({@code product rule})
     * @param reads   the rule's partial as the rule table writes it ({@code d(a*b)/da = b})
     */
    public record Partial(String operand, Formula value, String rule, String reads) {}

    private static final class NotDerived extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotDerived(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The derivation of a method, read from its own statements before lowering: straight-line declarations,
     * assignments, sums over samples ({@link Builder#reduction}) and one {@code return}, where the paper's vector
     * operations ({@code Vectors.dot}) are still one operation each (lowering makes them loops).
     *
     * @param method   the parsed method
     * @param registry the rules
     * @return the derivation, or one that says why there is none
     */
    public static Derivation ofStatements(dev.adjoint.processor.ir.MethodIR method, Registry registry) {
        Builder b = new Builder(method.params(), method.wrt(), registry);
        try {
            Formula ref = null;
            List<dev.adjoint.processor.ir.Stmt> stmts = method.body().stmts();
            for (int k = 0; k < stmts.size(); k++) {
                dev.adjoint.processor.ir.Stmt st = stmts.get(k);
                if (st instanceof dev.adjoint.processor.ir.Stmt.Decl d && d.sym().type() == Ty.DOUBLE
                        && d.init() != null) {
                    b.env.put(d.sym(), b.operand(d.init()));
                } else if (st instanceof dev.adjoint.processor.ir.Stmt.ExprStmt es
                        && es.expr() instanceof Expr.Assign a && a.target() instanceof Expr.Var v
                        && v.type() == Ty.DOUBLE) {
                    Expr value = a.op().binary == null ? a.value()
                            : new Expr.Binary(a.op().binary, a.target(), a.value(), Ty.DOUBLE, a.pos());
                    b.env.put(v.sym(), b.operand(value));
                } else if (st instanceof dev.adjoint.processor.ir.Stmt.Return r && k == stmts.size() - 1
                        && r.value() != null) {
                    ref = b.operand(r.value());
                } else if (st instanceof dev.adjoint.processor.ir.Stmt.For f) {
                    b.reduction(f);
                } else {
                    throw new NotDerived("it is not straight-line code on doubles (a loop, a branch or an array): "
                            + "the closed form is derived for straight-line code only");
                }
            }
            if (ref == null) {
                throw new NotDerived("the method does not end in a return");
            }
            Map<String, Formula> gradient = new LinkedHashMap<>();
            for (Sym p : method.wrt()) {
                gradient.put(p.name(), Algebra.simplify(b.derivative(ref, p.name())));
            }
            return new Derivation(List.copyOf(b.steps), ref, Algebra.simplify(b.expand(ref)), gradient, null,
                    List.of(), List.of());
        } catch (NotDerived why) {
            Locals locals = new Locals(method, registry);
            locals.block(method.body().stmts(), "", -1);
            return new Derivation(List.of(), null, null, Map.of(), why.getMessage(), List.copyOf(locals.out),
                    List.copyOf(locals.groups));
        }
    }

    /** The statements of a method derived one by one ({@link Local}), walking into its loops and branches. */
    private static final class Locals {
        final List<Local> out = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        final dev.adjoint.processor.ir.MethodIR method;
        final Registry registry;
        /** The intermediate variables so far, numbered across the method. */
        int numbered;

        Locals(dev.adjoint.processor.ir.MethodIR method, Registry registry) {
            this.method = method;
            this.registry = registry;
        }

        void block(List<dev.adjoint.processor.ir.Stmt> stmts, String where, int loop) {
            for (dev.adjoint.processor.ir.Stmt st : stmts) {
                stmt(st, where, loop);
            }
        }

        private static String and(String where, String more) {
            return where.isEmpty() ? more : where + ", " + more;
        }

        /** @return {@code where}, in each trip of the loop over {@code index} too: nested loops named together */
        private static String trip(String where, String index) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "(.*)in each trip of the loops? over ([\\w$]+(, [\\w$]+)*)$").matcher(where);
            if (m.matches()) {
                return m.group(1) + "in each trip of the loops over " + m.group(2) + ", " + index;
            }
            return and(where, "in each trip of the loop over " + index);
        }

        /** @return the group a compound statement's statements belong to: the enclosing one, or a new one */
        private int group(int enclosing, String label, Pos at) {
            if (enclosing >= 0) {
                return enclosing;
            }
            groups.add(new Group(label.length() > 14 ? label.substring(0, 13) + "…" : label, at));
            return groups.size() - 1;
        }

        void stmt(dev.adjoint.processor.ir.Stmt st, String where, int group) {
            if (st instanceof dev.adjoint.processor.ir.Stmt.Decl d) {
                if (d.sym().type() == Ty.DOUBLE && d.init() != null) {
                    derive(d.sym().name(), d.init(), where, group, true, d.pos());
                }
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.ExprStmt es && es.expr() instanceof Expr.Assign a) {
                if (a.target().type() == Ty.DOUBLE && a.op().binary != null) {
                    derive(Source.text(a.target()), new Expr.Binary(a.op().binary, a.target(), a.value(), Ty.DOUBLE,
                            a.pos()), where, group, false, es.pos());
                } else if (a.target().type() == Ty.DOUBLE) {
                    derive(Source.text(a.target()), a.value(), where, group, false, es.pos());
                }
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.Return r) {
                if (r.value() != null && r.value().type() == Ty.DOUBLE) {
                    derive("f", r.value(), where, group, true, r.pos());
                }
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.If i) {
                String cond = Source.text(i.cond());
                int g = group(group, "if " + cond, i.pos());
                block(i.then().stmts(), and(where, "when " + cond), g);
                if (i.otherwise() != null) {
                    block(i.otherwise().stmts(), and(where, "when not " + (i.cond() instanceof Expr.Var ? cond
                            : "(" + cond + ")")), g);
                }
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.For f) {
                String index = f.init().size() == 1 && f.init().get(0) instanceof dev.adjoint.processor.ir.Stmt.Decl d
                        ? d.sym().name() : null;
                block(f.body().stmts(), index == null ? and(where, "in each trip of the for loop")
                        : trip(where, index), group(group, index == null ? "for" : "for " + index, f.pos()));
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.While w) {
                block(w.body().stmts(), and(where, "in each trip of the while loop"), group(group, "while", w.pos()));
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.DoWhile w) {
                block(w.body().stmts(), and(where, "in each trip of the do loop"), group(group, "do", w.pos()));
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.ForEach f) {
                block(f.body().stmts(), and(where, "in each trip of the loop over the elements " + f.var().name()
                        + " of " + Source.text(f.array())), group(group, "for " + f.var().name() + " : "
                        + Source.text(f.array()), f.pos()));
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.Block b) {
                block(b.stmts(), where, group);
            } else if (st instanceof dev.adjoint.processor.ir.Stmt.Breakable b) {
                block(b.body().stmts(), where, group);
            }
        }

        /** Derives one statement, {@code target = value}, on its own. */
        private void derive(String target, Expr value, String where, int group, boolean declares, Pos at) {
            Builder b = new Builder(method.params(), List.of(), registry);
            b.local = true;
            b.first = numbered;
            java.util.Set<String> read = new java.util.LinkedHashSet<>();
            leaves(value, read);
            java.util.Set<String> operands = new java.util.LinkedHashSet<>(read);
            // a parameter that is not differentiated (data: t[i], y[i]) is a constant of differentiation
            for (Sym p : method.params()) {
                if (!method.wrt().contains(p)) {
                    operands.removeIf(v -> v.equals(p.name()) || v.startsWith(p.name() + "["));
                }
            }
            read.removeAll(operands);
            b.constants.addAll(read);
            b.names.addAll(operands);
            try {
                Formula ref = b.operand(value);
                Map<String, Formula> local = new LinkedHashMap<>();
                for (String v : operands) {
                    Formula d = Algebra.simplify(b.derivative(ref, v));
                    if (!(d instanceof Formula.Num zero && zero.value() == 0)) {
                        local.put(v, d);
                    }
                }
                out.add(new Local(target, Algebra.simplify(b.expand(ref)), where, group, List.copyOf(b.steps), local,
                        operands.contains(target), declares, at, null));
                numbered += b.steps.size();
            } catch (NotDerived why) {
                out.add(new Local(target, null, where, group, List.of(), Map.of(), false, declares, at,
                        why.getMessage()));
            }
        }

        /** Adds the operands of {@code e} that carry a derivative: its doubles, variables and elements. */
        private static void leaves(Expr e, java.util.Set<String> into) {
            if ((e instanceof Expr.Var || e instanceof Expr.ArrayLoad) && e.type() == Ty.DOUBLE) {
                into.add(Source.text(e));
            } else if (e instanceof Expr.MathCall m && m.owner().equals(VECTORS)) {
                m.args().forEach(a -> into.add(Source.text(a)));
            } else if (!(e instanceof Expr.ArrayLoad) && !(e instanceof Expr.Cast c && c.type() != Ty.DOUBLE)) {
                IrWalker.children(e).forEach(k -> leaves(k, into));
            }
        }
    }

    private static final class Builder {
        final Map<Sym, Formula> env = new HashMap<>();
        final List<Intermediate> steps = new ArrayList<>();
        /** Each intermediate's formula in the inputs, and its derivative with respect to each parameter. */
        final Map<String, Formula> expansion = new HashMap<>();
        final Map<String, Map<String, Formula>> derivatives = new HashMap<>();
        final List<Sym> wrt;
        /** What the derivatives are taken with respect to: the differentiated parameters, or a statement's operands. */
        final List<String> names = new ArrayList<>();
        /** For a statement derived on its own: its operands (variables and elements) are names, not formulas. */
        boolean local;
        /** How many intermediate variables come before this builder's (a statement's: those of the ones before). */
        int first;
        /** The ints among a statement's operands: constants of differentiation. */
        final java.util.Set<String> constants = new java.util.HashSet<>();
        final Registry registry;
        /** The inputs that are vectors ({@code double[]} parameters, and the rows xᵢ of a matrix in a loop). */
        final java.util.Set<String> vectors = new java.util.HashSet<>();
        final List<Sym> params;
        /** The index of the loop being derived (its trips summed), or null. */
        Sym index;

        Builder(List<Sym> params, List<Sym> wrt, Registry registry) {
            this.params = params;
            this.wrt = wrt;
            wrt.forEach(p -> names.add(p.name()));
            this.registry = registry;
            for (Sym p : params) {
                if (p.type() == Ty.DOUBLE || p.type() == Ty.INT) {
                    env.put(p, new Formula.Name(p.name()));
                } else if (p.type() == Ty.DOUBLE_ARRAY) {
                    env.put(p, new Formula.Name(p.name()));
                    vectors.add(p.name());
                }
            }
        }

        /** @return the formula naming {@code e}'s value: an input, a number, or a new intermediate variable */
        Formula operand(Expr e) {
            if (local && (e instanceof Expr.Var || e instanceof Expr.ArrayLoad) && e.type() == Ty.DOUBLE) {
                return new Formula.Name(Source.text(e));
            } else if (local && (e instanceof Expr.Var || e instanceof Expr.ArrayLoad || e instanceof Expr.Length)) {
                constants.add(Source.text(e)); // an int: a constant of differentiation
                return new Formula.Name(Source.text(e));
            }
            if (e instanceof Expr.Lit l) {
                try {
                    return new Formula.Num(Double.parseDouble(l.text()));
                } catch (NumberFormatException notANumber) {
                    throw new NotDerived("the literal " + l.text() + " is not a number");
                }
            } else if (e instanceof Expr.Var v) {
                Formula f = env.get(v.sym());
                if (f == null) {
                    throw new NotDerived(v.sym().name() + " is not a double computed by straight-line code");
                }
                return f;
            } else if (e instanceof Expr.Cast c) {
                return operand(c.operand());
            } else if (e instanceof Expr.ArrayLoad al && index != null && al.index() instanceof Expr.Var i
                    && i.sym() == index && al.array() instanceof Expr.Var y && y.sym().isParam()
                    && y.type() == Ty.DOUBLE_ARRAY && !wrt.contains(y.sym())) {
                return new Formula.Name(y.sym().name() + "ᵢ"); // the trip's element of a data vector
            } else if (e instanceof Expr.Length) {
                return new Formula.Name("N");
            } else if (e instanceof Expr.ArrayLoad) {
                throw new NotDerived("it reads an element of an array that is differentiated or not a parameter: the "
                        + "closed form is derived for straight-line code on doubles, dot products, and sums over "
                        + "samples that read data arrays");
            }
            if (e instanceof Expr.MathCall m && m.owner().equals(VECTORS)) {
                return vectorOperation(m.fn(), m.args(), m.pos());
            } else if (e instanceof Expr.Call c && c.callee().owner().equals(VECTORS)) {
                return vectorOperation(c.callee().name(), c.args(), c.pos());
            }
            Rule rule = registry.rule(e);
            List<Expr> kids = IrWalker.children(e);
            if (rule == null || !(e instanceof Expr.Binary || e instanceof Expr.Unary || e instanceof Expr.MathCall)) {
                if (e instanceof Expr.Call || e instanceof Expr.MathCall) {
                    String fn = e instanceof Expr.Call c ? c.callee().name() : ((Expr.MathCall) e).fn();
                    throw new NotDerived("it calls " + fn + ", whose derivative the generated code takes from its "
                            + "own generated pullback (explain " + fn + " to see it derived)");
                }
                throw new NotDerived("there is no closed form here for a " + e.getClass().getSimpleName());
            }
            List<Formula> refs = new ArrayList<>();
            for (Expr k : kids) {
                refs.add(operand(k));
            }
            String name = "u" + (first + steps.size() + 1);
            Formula op = Algebra.simplify(formula(e, refs, null));
            // the partials: the rule's share with the seed 1, its operands and value named
            List<Partial> partials = new ArrayList<>();
            List<Formula> partialOperands = new ArrayList<>();
            Map<String, Formula> chain = new LinkedHashMap<>();
            Map<String, List<Formula>> chainTerms = new LinkedHashMap<>();
            names.forEach(p -> chainTerms.put(p, new ArrayList<>()));
            for (int i = 0; i < refs.size(); i++) {
                Expr template = rule.term(i, true);
                if (template == null || refs.get(i) instanceof Formula.Num
                        || refs.get(i) instanceof Formula.Name n && constants.contains(n.name())) {
                    continue;
                }
                List<Expr> args = new ArrayList<>();
                for (int k = 0; k < refs.size(); k++) {
                    args.add(placeholder(k));
                }
                Expr filled = Template.fill(template, args, placeholder(-1), new Expr.Lit("1.0", Ty.DOUBLE, Pos.NONE));
                Map<Integer, Formula> named = new HashMap<>();
                for (int k = 0; k < refs.size(); k++) {
                    named.put(k, refs.get(k));
                }
                named.put(-1, new Formula.Name(name));
                Formula partial = formula(filled, null, named);
                if (rule.negated().get(i)) {
                    partial = new Formula.Product(-1, List.of(partial));
                }
                partial = Algebra.simplify(partial);
                partials.add(new Partial(Formula.text(refs.get(i)), partial, rule.name(), rule.partials().get(i)));
                partialOperands.add(refs.get(i));
                for (String p : names) {
                    // dv/dx of an input v is 1 for x itself and 0 for the others; of an intermediate, its name
                    boolean input = !derivatives.containsKey(Formula.text(refs.get(i)));
                    if (!input && derivatives.get(Formula.text(refs.get(i))).get(p) instanceof Formula.Num none
                            && none.value() == 0) {
                        continue; // the operand does not depend on p: no term
                    } else if (!input) {
                        // as the paper writes it: ∂u/∂v · dv/dx, the partial first (and no 1·)
                        Formula dv = new Formula.Name("d" + Formula.text(refs.get(i)) + "/d" + p);
                        chainTerms.get(p).add(partial instanceof Formula.Num one && one.value() == 1 ? dv
                                : new Formula.Product(1, List.of(partial, dv)));
                    } else if (Formula.text(refs.get(i)).equals(p)) {
                        chainTerms.get(p).add(partial);
                    }
                }
            }
            chainTerms.forEach((p, terms) -> chain.put(p, terms.isEmpty() ? new Formula.Num(0)
                    : terms.size() == 1 ? terms.get(0) : new Formula.Sum(terms)));
            steps.add(new Intermediate(name, op, partials, chain, e.pos()));
            // substituted: the intermediate in the inputs, and its derivatives by the chain rule
            expansion.put(name, Algebra.simplify(expand(op)));
            Map<String, Formula> d = new LinkedHashMap<>();
            for (String p : names) {
                List<Formula> terms = new ArrayList<>();
                for (int k = 0; k < partials.size(); k++) {
                    terms.add(new Formula.Product(1, List.of(expand(partials.get(k).value()),
                            derivative(partialOperands.get(k), p))));
                }
                d.put(p, Algebra.simplify(new Formula.Sum(terms)));
            }
            derivatives.put(name, d);
            return new Formula.Name(name);
        }

        /**
         * The dot product of two vector inputs, the paper's {@code w·x}: ∂(w·x)/∂w = xᵀ and ∂(w·x)/∂x = wᵀ, row
         * vectors (numerator layout: the Jacobian of a scalar by an n-vector is 1×n).
         */
        private Formula vectorOperation(String fn, List<Expr> args, Pos at) {
            if (!fn.equals("dot") || !(args.get(0) instanceof Expr.Var a) || !(args.get(1) instanceof Expr.Var b)
                    || !vectors.contains(a.sym().name()) || !vectors.contains(b.sym().name())) {
                throw new NotDerived("Vectors." + fn + " is derived in closed form only as the dot product of two "
                        + "parameters, so far");
            }
            return dot(new Formula.Name(a.sym().name()), new Formula.Name(b.sym().name()), at);
        }

        /** @return the intermediate {@code w·x} of two vector inputs, with the dot product rule's partials */
        private Formula dot(Formula w, Formula x, Pos at) {
            String name = "u" + (first + steps.size() + 1);
            List<Partial> partials = new ArrayList<>();
            partials.add(new Partial(Formula.text(w), new Formula.Transpose(x), "dot product rule",
                    "d(w·x)/dw = xᵀ, a 1×n row (numerator layout)"));
            partials.add(new Partial(Formula.text(x), new Formula.Transpose(w), "dot product rule",
                    "d(w·x)/dx = wᵀ, a 1×n row (numerator layout)"));
            Map<String, Formula> chain = new LinkedHashMap<>();
            Map<String, Formula> d = new LinkedHashMap<>();
            for (String p : names) {
                List<Formula> terms = new ArrayList<>();
                for (Partial partial : partials) {
                    if (partial.operand().equals(p)) {
                        terms.add(partial.value());
                    }
                }
                Formula dp = terms.isEmpty() ? new Formula.Num(0)
                        : terms.size() == 1 ? terms.get(0) : new Formula.Sum(terms);
                chain.put(p, dp);
                d.put(p, Algebra.simplify(dp));
            }
            Formula op = new Formula.Dot(w, x);
            steps.add(new Intermediate(name, op, partials, chain, at));
            expansion.put(name, op);
            derivatives.put(name, d);
            return new Formula.Name(name);
        }

        /**
         * A loop whose trips add a term into an accumulator that is 0 before it ({@code cost += e * e} over the
         * samples i): each trip's statements derived as straight-line code, the rows of a matrix read by the trip
         * ({@code X[i]}) and the elements of data vectors ({@code y[i]}) as inputs xᵢ and yᵢ, an inner loop that
         * sums products of two vectors ({@code z += w[j] * X[i][j]}) as their dot product w·xᵢ, and the accumulator
         * then the intermediate Σᵢ of the trip's term, whose derivative is the sum of the trips' (the sum rule).
         */
        void reduction(dev.adjoint.processor.ir.Stmt.For f) {
            if (index != null || f.init().size() != 1
                    || !(f.init().get(0) instanceof dev.adjoint.processor.ir.Stmt.Decl d) || d.sym().type() != Ty.INT
                    || !(d.init() instanceof Expr.Lit zero) || !zero.text().equals("0")
                    || !(f.cond() instanceof Expr.Binary cond) || cond.op() != Expr.BinOp.LT
                    || !(cond.left() instanceof Expr.Var iv) || iv.sym() != d.sym()
                    || !(cond.right() instanceof Expr.Length)) {
                throw new NotDerived("a loop is derived in closed form only as a sum over i from 0 to N (an array's "
                        + "length) that adds into an accumulator");
            }
            index = d.sym();
            List<dev.adjoint.processor.ir.Stmt> body = f.body().stmts();
            Formula term = null;
            for (int k = 0; k < body.size(); k++) {
                dev.adjoint.processor.ir.Stmt st = body.get(k);
                if (st instanceof dev.adjoint.processor.ir.Stmt.Decl decl && decl.sym().type() == Ty.DOUBLE
                        && decl.init() != null) {
                    env.put(decl.sym(), operand(decl.init()));
                } else if (st instanceof dev.adjoint.processor.ir.Stmt.For inner) {
                    dotLoop(inner);
                } else if (k == body.size() - 1 && st instanceof dev.adjoint.processor.ir.Stmt.ExprStmt es
                        && es.expr() instanceof Expr.Assign a && a.target() instanceof Expr.Var acc
                        && a.op() == Expr.AssignOp.ADD && env.get(acc.sym()) instanceof Formula.Num n
                        && n.value() == 0) {
                    term = operand(a.value());
                    Formula sum = sumOver(term, es.pos());
                    env.put(acc.sym(), sum);
                } else {
                    throw new NotDerived("a loop's trip is derived in closed form only as straight-line code that "
                            + "ends by adding into an accumulator");
                }
            }
            if (term == null) {
                throw new NotDerived("the loop adds nothing into an accumulator");
            }
            index = null;
        }

        /** {@code z += w[j] * X[i][j]} over j: z = z + w·xᵢ. */
        private void dotLoop(dev.adjoint.processor.ir.Stmt.For f) {
            List<dev.adjoint.processor.ir.Stmt> body = f.body().stmts();
            if (f.init().size() == 1 && f.init().get(0) instanceof dev.adjoint.processor.ir.Stmt.Decl d
                    && body.size() == 1 && body.get(0) instanceof dev.adjoint.processor.ir.Stmt.ExprStmt es
                    && es.expr() instanceof Expr.Assign a && a.op() == Expr.AssignOp.ADD
                    && a.target() instanceof Expr.Var z && a.value() instanceof Expr.Binary mul
                    && mul.op() == Expr.BinOp.MUL) {
                Formula left = vectorOf(mul.left(), d.sym());
                Formula right = vectorOf(mul.right(), d.sym());
                if (left != null && right != null) {
                    Formula product = dot(left, right, es.pos());
                    Sym dotSym = new Sym(Integer.MIN_VALUE, "#dot", Ty.DOUBLE, -1);
                    env.put(dotSym, product);
                    env.put(z.sym(), operand(new Expr.Binary(Expr.BinOp.ADD, z, new Expr.Var(dotSym, es.pos()),
                            Ty.DOUBLE, es.pos())));
                    return;
                }
            }
            throw new NotDerived("an inner loop is derived in closed form only as a dot product (z += w[j] * x[j])");
        }

        /** @return the vector {@code e} reads element j of: w for w[j], xᵢ for X[i][j]; or null */
        private Formula vectorOf(Expr e, Sym j) {
            if (!(e instanceof Expr.ArrayLoad al) || !(al.index() instanceof Expr.Var jv) || jv.sym() != j) {
                return null;
            }
            if (al.array() instanceof Expr.Var v && v.type() == Ty.DOUBLE_ARRAY && v.sym().isParam()) {
                vectors.add(v.sym().name());
                return new Formula.Name(v.sym().name());
            }
            if (al.array() instanceof Expr.ArrayLoad row && row.index() instanceof Expr.Var iv && iv.sym() == index
                    && row.array() instanceof Expr.Var m && m.type() == Ty.DOUBLE_MATRIX && m.sym().isParam()) {
                String lower = m.sym().name().toLowerCase(java.util.Locale.ROOT);
                boolean taken = params.stream().anyMatch(p -> p.name().equals(lower) && p != m.sym());
                String name = (taken ? m.sym().name() : lower) + "ᵢ";
                vectors.add(name);
                return new Formula.Name(name);
            }
            return null;
        }

        /** @return the intermediate Σᵢ term: the loop's accumulator after it */
        private Formula sumOver(Formula term, Pos at) {
            String name = "u" + (first + steps.size() + 1);
            String i = "i";
            List<Partial> partials = List.of(new Partial(Formula.text(term), new Formula.Num(1), "sum rule",
                    "d(Σᵢ tᵢ)/dtᵢ = 1, for each trip"));
            Map<String, Formula> chain = new LinkedHashMap<>();
            Map<String, Formula> d = new LinkedHashMap<>();
            for (String p : names) {
                Formula dTerm = derivative(term, p);
                chain.put(p, new Formula.SumOver(i, new Formula.Name("d" + Formula.text(term) + "/d" + p)));
                d.put(p, Algebra.simplify(new Formula.SumOver(i, dTerm)));
            }
            steps.add(new Intermediate(name, new Formula.SumOver(i, term), partials, chain, at));
            expansion.put(name, new Formula.SumOver(i, expand(term)));
            derivatives.put(name, d);
            return new Formula.Name(name);
        }

        /** @return d(ref)/d(param), in the inputs */
        Formula derivative(Formula ref, String param) {
            if (ref instanceof Formula.Name n) {
                Map<String, Formula> d = derivatives.get(n.name());
                if (d != null) {
                    return d.get(param);
                }
                return new Formula.Num(n.name().equals(param) ? 1 : 0);
            }
            return new Formula.Num(0);
        }

        /** @return {@code f} with every intermediate replaced by its formula in the inputs */
        Formula expand(Formula f) {
            if (f instanceof Formula.Name n) {
                Formula e = expansion.get(n.name());
                return e != null ? e : f;
            } else if (f instanceof Formula.Apply a) {
                List<Formula> args = new ArrayList<>();
                a.args().forEach(x -> args.add(expand(x)));
                return new Formula.Apply(a.fn(), args);
            } else if (f instanceof Formula.Sum s) {
                List<Formula> terms = new ArrayList<>();
                s.terms().forEach(x -> terms.add(expand(x)));
                return new Formula.Sum(terms);
            } else if (f instanceof Formula.Product p) {
                List<Formula> factors = new ArrayList<>();
                p.factors().forEach(x -> factors.add(expand(x)));
                return new Formula.Product(p.coefficient(), factors);
            } else if (f instanceof Formula.Power p) {
                return new Formula.Power(expand(p.base()), p.exponent());
            } else if (f instanceof Formula.Transpose t) {
                return new Formula.Transpose(expand(t.vector()));
            } else if (f instanceof Formula.Dot d) {
                return new Formula.Dot(expand(d.left()), expand(d.right()));
            } else if (f instanceof Formula.Compare c) {
                return new Formula.Compare(c.op(), expand(c.left()), expand(c.right()));
            } else if (f instanceof Formula.Cases c) {
                return new Formula.Cases(expand(c.test()), expand(c.then()), expand(c.otherwise()));
            } else if (f instanceof Formula.SumOver so) {
                return new Formula.SumOver(so.index(), expand(so.body()));
            }
            return f;
        }
    }

    private static final String VECTORS = "dev.adjoint.Vectors";

    /** A stand-in for operand {@code k} (the value: -1) in a rule's template. */
    private static Expr placeholder(int k) {
        return new Expr.Var(new Sym(Integer.MIN_VALUE + 1 + k + 1, "#" + k, Ty.DOUBLE, -1), Pos.NONE);
    }

    /**
     * @param e     an expression
     * @param kids  its children's formulas (for an operation of the method), or null
     * @param named the formulas of the placeholders (for a filled template), or null
     * @return it as a formula
     */
    private static Formula formula(Expr e, List<Formula> kids, Map<Integer, Formula> named) {
        List<Formula> k = kids;
        if (k == null) {
            k = new ArrayList<>();
            for (Expr child : IrWalker.children(e)) {
                k.add(formula(child, null, named));
            }
        }
        if (e instanceof Expr.Lit l) {
            try {
                return new Formula.Num(Double.parseDouble(l.text()));
            } catch (NumberFormatException notANumber) {
                throw new NotDerived("the literal " + l.text() + " is not a number");
            }
        } else if (e instanceof Expr.Var v && named != null && v.sym().name().startsWith("#")) {
            return named.get(Integer.parseInt(v.sym().name().substring(1)));
        } else if (e instanceof Expr.Binary b && b.op().isComparison()) {
            return new Formula.Compare(b.op().symbol, k.get(0), k.get(1));
        } else if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case ADD -> new Formula.Sum(List.of(k.get(0), k.get(1)));
                case SUB -> new Formula.Sum(List.of(k.get(0), new Formula.Product(-1, List.of(k.get(1)))));
                case MUL -> new Formula.Product(1, List.of(k.get(0), k.get(1)));
                case DIV -> new Formula.Product(1, List.of(k.get(0), new Formula.Power(k.get(1), -1)));
                default -> throw new NotDerived("the operator " + b.op().symbol + " has no derivative here");
            };
        } else if (e instanceof Expr.Unary u && u.op() == Expr.UnOp.NEG) {
            return new Formula.Product(-1, List.of(k.get(0)));
        } else if (e instanceof Expr.Unary u && u.op() == Expr.UnOp.PLUS || e instanceof Expr.Cast) {
            return k.get(0);
        } else if (e instanceof Expr.MathCall m) {
            return new Formula.Apply(m.fn(), k);
        } else if (e instanceof Expr.Cond) {
            return new Formula.Cases(k.get(0), k.get(1), k.get(2));
        }
        throw new NotDerived("a " + e.getClass().getSimpleName() + " is not derived in closed form yet");
    }
}
