package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.ArrayCopy;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.lower.CoreWalk;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activity analysis: a variable is active when it may depend on a differentiated parameter (varied) and may
 * influence the result through values the derivative follows (useful, {@link Usefulness}). Only active variables
 * get adjoints; every other value is a constant of differentiation, or dead for differentiation, and gets no code in
 * the reverse sweep. The checks (ADJ008, ADJ010) look at the varied half alone.
 *
 * <p>Flow-insensitive: a variable is active if any assignment to it has an active value. Array variables that may
 * refer to the same array (one assigned from the other, or a row of a matrix) form one alias class, active or not
 * as a whole, so that an array and its alias always have adjoints that alias too.
 */
public final class Activity {
    private final Map<Sym, Sym> parent = new HashMap<>();
    private final Set<Sym> active = new LinkedHashSet<>();
    /** The useful variables; null while the varied half is being computed and checked. */
    private Set<Sym> useful;

    private Activity() {}

    /**
     * Analyses a lowered method body.
     *
     * @param body   the lowered body
     * @param wrt    the differentiated parameters
     * @param params every parameter (their arrays must not be written when active)
     * @param result the variable the method returns
     * @param diags  where errors go: calls with active arguments, writes into active parameter arrays
     * @return the analysis
     */
    public static Activity analyse(Core.Block body, List<Sym> wrt, List<Sym> params, Sym result,
            Diagnostics diags) {
        Activity a = new Activity();
        for (Sym w : wrt) {
            a.active.add(a.find(w));
        }
        // alias classes first: they do not depend on activity
        CoreWalk.forEach(body, s -> {
            if (s instanceof Core.Declare d && d.sym().type().isArray()) {
                a.alias(d.sym(), d.init());
            } else if (s instanceof Core.Assign as && as.target().type().isArray()) {
                a.alias(CoreWalk.root(as.target()), as.value());
            }
        });
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Core s : statements(body)) {
                Sym target = null;
                Expr value = null;
                if (s instanceof Core.Declare d) {
                    target = d.sym();
                    value = d.init();
                } else if (s instanceof Core.Assign as) {
                    target = CoreWalk.root(as.target());
                    value = as.value();
                }
                if (target != null && target.type().isFloating() && a.isActive(value)
                        && a.active.add(a.find(target))) {
                    changed = true;
                }
            }
        }
        a.check(body, params, diags);
        a.useful = Usefulness.analyse(body, result, a::mayAlias);
        return a;
    }

    private static List<Core> statements(Core.Block body) {
        List<Core> all = new java.util.ArrayList<>();
        CoreWalk.forEach(body, all::add);
        return all;
    }

    private void alias(Sym target, Expr value) {
        Sym source = arrayRoot(value);
        if (source != null) {
            union(target, source);
        }
    }

    /** @return the variable an array-valued expression reads its array from ({@code M} for {@code M[i]}), or null */
    private static Sym arrayRoot(Expr e) {
        Expr t = e;
        while (t instanceof Expr.ArrayLoad al) {
            t = al.array();
        }
        return t instanceof Expr.Var v && v.type().isArray() ? v.sym() : null;
    }

    private Sym find(Sym s) {
        Sym p = parent.getOrDefault(s, s);
        if (p == s) {
            return s;
        }
        Sym r = find(p);
        parent.put(s, r);
        return r;
    }

    private void union(Sym a, Sym b) {
        Sym ra = find(a);
        Sym rb = find(b);
        if (ra != rb) {
            boolean act = active.remove(ra) | active.remove(rb);
            parent.put(ra, rb);
            if (act) {
                active.add(rb);
            }
        }
    }

    /** @return whether the variable (or its alias class) is active */
    public boolean isActive(Sym s) {
        return s.type().isFloating() && active.contains(find(s)) && (useful == null || useful.contains(s));
    }

    /** @return whether two array variables may refer to the same array */
    public boolean mayAlias(Sym a, Sym b) {
        return find(a) == find(b);
    }

    /**
     * @return whether the value of {@code e} may depend on a differentiated parameter with a non-zero derivative
     */
    public boolean isActive(Expr e) {
        if (e == null || !e.type().isFloating()) {
            return false;
        }
        if (e instanceof Expr.Var v) {
            return isActive(v.sym());
        } else if (e instanceof Expr.ArrayLoad al) {
            Sym root = arrayRoot(al);
            return root != null && isActive(root);
        } else if (e instanceof Expr.Unary u) {
            return isActive(u.operand());
        } else if (e instanceof Expr.Binary b) {
            return isActive(b.left()) || isActive(b.right());
        } else if (e instanceof Expr.Cond c) {
            return isActive(c.then()) || isActive(c.otherwise());
        } else if (e instanceof Expr.Cast c) {
            return isActive(c.operand());
        } else if (e instanceof Expr.MathCall m) {
            if (dev.adjoint.processor.rules.Rules.isPiecewiseConstant(m.fn())) {
                return false;
            }
            return m.args().stream().anyMatch(this::isActive);
        } else if (e instanceof Expr.ArrayInit i) {
            return i.elements().stream().anyMatch(this::isActive);
        }
        return false; // literals, constants, lengths, calls, new arrays
    }

    private void check(Core.Block body, List<Sym> params, Diagnostics diags) {
        // the names of the method's variables, which a way out's new variables must not clash with
        Set<Sym> vars = new java.util.HashSet<>(params);
        CoreWalk.assignedVars(body, vars);
        Set<String> taken = new java.util.HashSet<>();
        vars.forEach(v -> taken.add(v.name()));
        CoreWalk.forEach(body, s -> {
            for (Expr e : exprsOf(s)) {
                dev.adjoint.processor.ir.IrWalker.visit(e, x -> {
                    if (x instanceof Expr.Call c) {
                        for (Expr arg : c.args()) {
                            if (isActive(arg) || (arg.type().isArray() && arrayRoot(arg) != null
                                    && isActive(arrayRoot(arg)))) {
                                diags.error(DiagnosticId.ADJ008, arg.pos().tree() != null ? arg.pos() : c.pos(),
                                        c.name() + "(...) receives a value that depends on a differentiated "
                                                + "parameter", "inline " + c.name() + ": write its computation in "
                                                + "place of the call (Adjoint differentiates only code it can see; a "
                                                + "call is allowed when no argument depends on a differentiated "
                                                + "parameter)");
                                break;
                            }
                        }
                    }
                });
            }
            if (s instanceof Core.Assign as && as.target() instanceof Expr.ArrayLoad) {
                Sym root = CoreWalk.root(as.target());
                for (Sym p : params) {
                    if (p.type().isArray() && mayAlias(root, p) && isActive(p)) {
                        diags.error(DiagnosticId.ADJ010, as.pos(), "the element written belongs to parameter '"
                                + p.name() + "', whose gradient would no longer be that of the caller's values",
                                "copy " + p.name() + " into a local, and write and read the copy where "
                                        + p.name() + " was written and read after: "
                                        + ArrayCopy.loops(p.name(), p.type(), n -> fresh(n, taken)));
                        break;
                    }
                }
            }
        });
    }

    /** @return {@code preferred}, or it followed by 2, 3, ..., whichever is not in {@code taken} */
    private static String fresh(String preferred, Set<String> taken) {
        String name = preferred;
        for (int k = 2; taken.contains(name); k++) {
            name = preferred + k;
        }
        return name;
    }

    /** @return the expressions a statement evaluates */
    public static List<Expr> exprsOf(Core s) {
        if (s instanceof Core.Declare d) {
            return List.of(d.init());
        } else if (s instanceof Core.Assign a) {
            return List.of(a.target(), a.value());
        } else if (s instanceof Core.Eval e) {
            return List.of(e.call());
        } else if (s instanceof Core.If i) {
            return List.of(i.cond());
        } else if (s instanceof Core.Loop l) {
            if (l.counted() != null) {
                return List.of(l.counted().from(), l.counted().bound());
            }
            return List.of(l.cond());
        }
        return List.of();
    }
}
