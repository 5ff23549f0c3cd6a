package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.AdjointPlan;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Origin;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.rules.Template;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forward mode (tangent-linear), IR in and IR out: one sweep that runs the original computation and, beside each
 * assignment to an active variable, the assignment of its tangent {@code xDot} = dx/dε along the direction the
 * caller gives. The tangent of a primitive {@code z = op(x0, x1, ...)} is Σ ∂z/∂xi · xiDot: each term is the rule's
 * share from the registry with the operand's tangent in the seed's place (a share is ∂z/∂xi · g, linear in g), so
 * forward and reverse mode use one set of partial derivatives and the same conventions at kinks. Control flow is
 * the primal's; nothing is saved.
 *
 * <p>In vector mode ({@link #vector}) every tangent carries one value per direction in a last dimension: the tangent
 * of a {@code double} is a {@code double[width]}, of a {@code double[]} a {@code double[n][width]}, and each
 * tangent assignment is a loop over the directions. One sweep of the original computation then gives as many
 * Jacobian columns as there are directions.
 */
public final class ForwardMode {

    private final Activity activity;
    private final SymbolTable symbols;
    private final Map<Sym, Sym> dots = new LinkedHashMap<>();
    private final Sym width;
    private final Sym direction;
    /** Every tangent, as made: in vector mode the values that depend on the direction. */
    private final Set<Sym> tangents = new LinkedHashSet<>();
    /** In vector mode: the loops over the directions. */
    private final DirectionLoops loops;
    /** In vector mode: the scalars' tangent arrays, allocated once at the top of the sweep. */
    private final List<Core> allocations = new ArrayList<>();
    private int temps;

    /**
     * @param activity the body's activity
     * @param symbols  the method's symbols
     */
    public ForwardMode(Activity activity, SymbolTable symbols) {
        this(activity, symbols, null);
    }

    private ForwardMode(Activity activity, SymbolTable symbols, Sym width) {
        this.activity = activity;
        this.symbols = symbols;
        this.width = width;
        this.direction = width == null ? null : symbols.fresh("d", Ty.INT);
        this.loops = width == null ? null : new DirectionLoops(symbols, tangents, direction, width, "p");
    }

    /**
     * @param width the int variable that holds the number of directions
     * @return forward mode carrying that many directions at once
     */
    public static ForwardMode vector(Activity activity, SymbolTable symbols, Sym width) {
        return new ForwardMode(activity, symbols, width);
    }

    /** @return whether tangents carry several directions */
    public boolean isVector() {
        return width != null;
    }

    /** @return the tangent of an active variable: {@code xDot}, of its type (with a directions dimension) */
    public Sym dot(Sym s) {
        return dots.computeIfAbsent(s, k -> {
            Sym t = symbols.fresh(symbols.name(k) + "Dot", tangentType(k.type()));
            tangents.add(t);
            return t;
        });
    }

    /** @return the type of a tangent of a value of type {@code t} */
    public Ty tangentType(Ty t) {
        if (width == null) {
            return t;
        }
        return Shadows.withDirections(t);
    }

    /** @return the zero tangent of a parameter that is not differentiated but is assigned active values */
    public Expr zeroTangent(Sym p) {
        Expr v = var(p);
        if (width == null) {
            return p.type() == Ty.DOUBLE ? zero() : Shadows.zerosLike(v);
        }
        return switch (p.type()) {
            case DOUBLE -> new Expr.NewArray(Ty.DOUBLE_ARRAY, List.of(var(width)), Pos.NONE);
            default -> Shadows.directionsLike(v, var(width));
        };
    }

    /**
     * @return the body with the tangent of every active assignment beside it (in vector mode, after the scalars'
     *     tangent arrays)
     */
    public Core.Block sweep(Core.Block body) {
        Core.Block swept = block(body);
        if (allocations.isEmpty()) {
            return swept;
        }
        List<Core> all = new ArrayList<>(allocations);
        all.addAll(swept.stmts());
        return new Core.Block(all, swept.pos());
    }

    private Core.Block block(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            stmt(c, out);
        }
        return new Core.Block(isVector() ? loops.fused(out) : out, b.pos());
    }

    private void stmt(Core c, List<Core> out) {
        c.accept(new Core.PrimalVisitor<Void>() {
            @Override
            public Void visitBlock(Core.Block b) {
                out.add(block(b));
                return null;
            }

            @Override
            public Void visitDeclare(Core.Declare d) {
                Sym s = d.sym();
                if (!activity.isActive(s)) {
                    out.add(d);
                } else if (s.type().isArray()) {
                    out.add(d);
                    out.add(new Core.Declare(dot(s), dotInit(var(s), d.init()), d.pos()));
                } else if (!activity.isActive(d.init())) {
                    out.add(d);
                    if (isVector()) {
                        allocate(s, d.pos());
                        perDirection(new Core.Assign(component(var(s)), zero(), d.pos()), out);
                    } else {
                        out.add(new Core.Declare(dot(s), zero(), d.pos()));
                    }
                } else {
                    assignment(d, var(s), d.init(), true, out);
                }
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                Expr target = a.target();
                Sym root = CoreWalk.root(target);
                if (!activity.isActive(root)) {
                    out.add(a);
                } else if (target.type().isArray()) {
                    // as in reverse mode: a tangent array taken from the value's is bound before the primal
                    // rebinding can change what the value's indices read
                    Core bind = new Core.Assign(dotOf(target), dotInit(target, a.value()), a.pos());
                    if (sharesTangent(a.value())) {
                        out.add(bind);
                        out.add(a);
                    } else {
                        out.add(a);
                        out.add(bind);
                    }
                } else if (!activity.isActive(a.value())) {
                    out.add(a);
                    perDirection(new Core.Assign(component(target), zero(), a.pos()), out);
                } else {
                    assignment(a, target, a.value(), false, out);
                }
                return null;
            }

            @Override
            public Void visitEval(Core.Eval e) {
                out.add(e);
                return null;
            }

            @Override
            public Void visitIf(Core.If i) {
                out.add(new Core.If(i.cond(), block(i.then()), block(i.otherwise()), i.pos()));
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                out.add(new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(), block(f.body()), f.pos()));
                return null;
            }

            @Override
            public Void visitWhile(Core.While w) {
                out.add(new Core.While(block(w.preCond()), w.cond(), block(w.body()), block(w.update()),
                        w.testFirst(), w.pos()));
                return null;
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                out.add(t);
                return null;
            }
        });
    }

    /**
     * An active scalar assignment {@code target = value}: the values the rules read that are not at hand are
     * computed once into temporaries (the primal then uses them: the same operations, so the same bits), and the
     * tangent is assigned where it reads the operands' values before the target is overwritten.
     */
    private void assignment(Core source, Expr target, Expr value, boolean declare, List<Core> out) {
        AdjointPlan plan = AdjointPlan.of(value, activity);
        Map<Expr, Expr> values = new IdentityHashMap<>();
        temporaries(plan, value, value, values, out);
        boolean readsTarget = !(target instanceof Expr.Var v) || reads(value, v.sym());
        Expr primal;
        Tangent tangent;
        if (plan.rootNeeded() && !readsTarget) {
            // the value's rule reads the value itself: taken from the target, once it is assigned
            primal = Rewrite.substitute(value, values::get);
            values.put(value, target);
            out.add(primalOf(source, target, primal, declare));
            tangentOf(source, target, tangent(plan, value, values), declare, out);
            return;
        }
        if (plan.rootNeeded()) {
            Sym t = symbols.fresh("t" + (++temps), Ty.DOUBLE);
            out.add(new Core.Declare(t, Rewrite.substitute(value, values::get), value.pos()));
            values.put(value, var(t));
        }
        primal = Rewrite.substitute(value, values::get);
        tangent = tangent(plan, value, values);
        if (readsTarget) {
            // the tangent reads the target's old value (x = x * y): it goes first
            tangentOf(source, target, tangent, declare, out);
            out.add(primalOf(source, target, primal, declare));
        } else {
            out.add(primalOf(source, target, primal, declare));
            tangentOf(source, target, tangent, declare, out);
        }
    }

    private Core primalOf(Core source, Expr target, Expr value, boolean declare) {
        if (declare) {
            return new Core.Declare(((Expr.Var) target).sym(), value, source.pos());
        }
        return new Core.Assign(target, value, source.pos());
    }

    private void tangentOf(Core source, Expr target, Tangent t, boolean declare, List<Core> out) {
        Origin origin = new Origin("chain rule", t.rules().isEmpty() ? "identity" : String.join(", ", t.rules()));
        if (isVector()) {
            if (declare) {
                // every direction is assigned here: the array allocated once needs no zeros
                allocate(((Expr.Var) target).sym(), source.pos());
            }
            perDirection(new Core.Assign(component(target), t.value(), origin, source.pos()), out);
        } else if (declare) {
            out.add(new Core.Declare(dot(((Expr.Var) target).sym()), t.value(), origin, source.pos()));
        } else {
            out.add(new Core.Assign(dotOf(target), t.value(), origin, source.pos()));
        }
    }

    /** Vector mode: a scalar's tangent array, {@code new double[width]}, allocated once at the top of the sweep. */
    private void allocate(Sym s, Pos pos) {
        allocations.add(new Core.Declare(dot(s), directions(), pos));
    }

    /** @return {@code new double[width]}: the zero tangents of a scalar in vector mode */
    private Expr directions() {
        return new Expr.NewArray(Ty.DOUBLE_ARRAY, List.of(var(width)), Pos.NONE);
    }

    /** @return {@code stmt} in a loop over the directions (vector mode), or {@code stmt} itself */
    /**
     * Adds {@code each} as it is, or in vector mode a loop over the directions around it, its direction-free parts
     * computed once before ({@link DirectionLoops}).
     */
    private void perDirection(Core.Assign each, List<Core> out) {
        if (!isVector()) {
            out.add(each);
            return;
        }
        loops.loop(List.of(each.target(), each.value()), parts -> new Core.Assign(parts.get(0), parts.get(1),
                each.origin(), each.pos()), each.pos(), out);
    }

    /** @return the tangent of a scalar variable or element along the current direction: {@code xDot[d]} */
    private Expr component(Expr e) {
        Expr t = dotOf(e);
        return isVector() ? new Expr.ArrayLoad(t, var(direction), Pos.NONE) : t;
    }

    /** Computes, bottom-up, the values of the interior nodes (but the root) that rules read. */
    private void temporaries(AdjointPlan plan, Expr root, Expr n, Map<Expr, Expr> values, List<Core> out) {
        if (!activity.isActive(n) || AdjointPlan.isLeaf(n)) {
            return;
        }
        for (Expr a : AdjointPlan.args(n)) {
            temporaries(plan, root, a, values, out);
        }
        if (n != root && plan.isNeeded(n) && !values.containsKey(n)) {
            Sym t = symbols.fresh("t" + (++temps), Ty.DOUBLE);
            out.add(new Core.Declare(t, Rewrite.substitute(n, values::get), n.pos()));
            values.put(n, var(t));
        }
    }

    /** A tangent expression and the rules it applies. */
    private record Tangent(Expr value, Set<String> rules) {}

    private Tangent tangent(AdjointPlan plan, Expr value, Map<Expr, Expr> values) {
        Set<String> rules = new LinkedHashSet<>();
        Expr t = tangent(plan, value, values, rules);
        return new Tangent(t == null ? zero() : t, rules);
    }

    /** @return the tangent of {@code n}: Σ ∂n/∂xi · xiDot over its active operands; null when it has none */
    private Expr tangent(AdjointPlan plan, Expr n, Map<Expr, Expr> values, Set<String> rules) {
        if (!activity.isActive(n)) {
            return null;
        }
        if (AdjointPlan.isLeaf(n)) {
            return component(n);
        }
        dev.adjoint.processor.rules.Registry.Calls calls = activity.calls(n);
        if (calls != null) {
            return pushforward((Expr.MathCall) n, calls, plan, values, rules);
        }
        Rule rule = activity.rule(n);
        if (rule == null) {
            throw new IllegalStateException("no rule for " + n);
        }
        List<Expr> args = AdjointPlan.args(n);
        List<Expr> operands = new ArrayList<>();
        for (Expr a : args) {
            operands.add(Rewrite.substitute(a, values::get));
        }
        Expr self = Rewrite.substitute(n, values::get);
        Expr sum = null;
        for (int k = 0; k < args.size(); k++) {
            Expr template = rule.forwardTerm(k, plan.othersActive(args, k));
            if (template == null) {
                continue;
            }
            Expr argTangent = tangent(plan, args.get(k), values, rules);
            if (argTangent == null) {
                continue;
            }
            rules.add(rule.name());
            Expr term = Template.fill(template, operands, self, argTangent);
            boolean negative = rule.negated().get(k);
            if (sum == null) {
                sum = negative ? new Expr.Unary(Expr.UnOp.NEG, term, Ty.DOUBLE, Pos.NONE) : term;
            } else {
                sum = new Expr.Binary(negative ? Expr.BinOp.SUB : Expr.BinOp.ADD, sum, term, Ty.DOUBLE, Pos.NONE);
            }
        }
        return sum;
    }

    /**
     * A call of a method with array parameters: its pushforward, given the call's arguments and the tangent of each
     * double and array argument (0 or null for one that is not active), returns the result's tangent.
     */
    private Expr pushforward(Expr.MathCall n, dev.adjoint.processor.rules.Registry.Calls calls, AdjointPlan plan,
            Map<Expr, Expr> values, Set<String> rules) {
        if (isVector()) {
            throw new IllegalStateException("a call with array arguments through its pushforward in vector mode");
        }
        List<Expr> callArgs = new ArrayList<>();
        for (Expr a : n.args()) {
            callArgs.add(Rewrite.substitute(a, values::get));
        }
        for (int k = 0; k < n.args().size(); k++) {
            Expr a = n.args().get(k);
            Ty t = n.callee().params().get(k);
            if (t == Ty.DOUBLE) {
                Expr d = tangent(plan, a, values, rules);
                callArgs.add(d == null ? zero() : d);
            } else if (t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX) {
                callArgs.add(activity.isActive(a) ? dotOf(a) : new Expr.Lit("null", t, Pos.NONE));
            }
        }
        rules.add("pushforward of " + n.fn());
        return new Expr.Call(calls.pushforward(), callArgs, n.pos());
    }

    private static boolean reads(Expr value, Sym s) {
        boolean[] found = {false};
        IrWalker.visit(value, x -> found[0] |= x instanceof Expr.Var v && v.sym() == s);
        return found[0];
    }

    /** @return the tangent of a variable or array element, e.g. {@code wDot[j]} */
    private Expr dotOf(Expr e) {
        if (e instanceof Expr.Var v) {
            return var(dot(v.sym()));
        } else if (e instanceof Expr.ArrayLoad al) {
            return new Expr.ArrayLoad(dotOf(al.array()), al.index(), al.pos());
        }
        throw new IllegalStateException("no tangent for " + e);
    }

    /** @return how the tangent array of an active array variable is made when the variable is assigned */
    /** Whether an array assignment's value is an active array whose tangent the target's tangent becomes. */
    private boolean sharesTangent(Expr value) {
        return (value instanceof Expr.Var || value instanceof Expr.ArrayLoad) && activity.isActive(CoreWalk.root(value));
    }

    private Expr dotInit(Expr target, Expr value) {
        Ty type = tangentType(target.type());
        if (value instanceof Expr.NewArray n) {
            if (n.type() == Ty.DOUBLE_ARRAY || n.dims().size() < 2) {
                List<Expr> dims = new ArrayList<>(List.of(new Expr.Length(target, Pos.NONE)));
                if (isVector() && n.type() == Ty.DOUBLE_ARRAY) {
                    dims.add(var(width));
                }
                return new Expr.NewArray(type, dims, Pos.NONE);
            }
        } else if (sharesTangent(value)) {
            return dotOf(value);
        } else if (value instanceof Expr.Lit l && l.text().equals("null")) {
            return new Expr.Lit("null", type, Pos.NONE);
        }
        if (isVector()) {
            return Shadows.directionsLike(target, var(width));
        }
        return Shadows.zerosLike(target);
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }

    private static Expr zero() {
        return new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE);
    }
}
