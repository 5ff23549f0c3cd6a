package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flow-sensitive points-to analysis of the lowered IR: which arrays each array variable may hold at each point of
 * the method, and which arrays the rows of each matrix may be.
 *
 * <p>Arrays are abstracted by where they come from ({@link Loc}): a parameter's array, the rows of a matrix
 * parameter, the arrays one allocation ({@code new double[n]}, an initializer) creates, or the arrays a call
 * returns. The state before each statement maps every array variable to the set of locations it may hold there, and
 * every matrix location to the set its rows may be. A variable assignment replaces the variable's set (strong update);
 * a row assignment {@code m[i] = r} adds to the rows of every matrix {@code m} may hold (weak update). Branches join;
 * loops are iterated to a fixed point, so a variable rebound in a loop ({@code h = next}) holds, at the loop's head,
 * what it held before the loop and what the body leaves in it.
 *
 * <p>Two array expressions whose sets are disjoint at a point never hold the same array there. A call that receives
 * arrays may return one of them (or a row of one): its result may be any array reachable from its arguments, besides
 * the arrays it creates.
 */
public final class PointsTo {
    /** Where an abstract array comes from. */
    public enum Origin {
        /** The array a parameter holds on entry. */
        PARAM,
        /** The rows of a matrix parameter. */
        PARAM_ROWS,
        /** The arrays an allocation or an initializer creates. */
        NEW,
        /** The rows that an allocation of a matrix with both sizes creates. */
        NEW_ROWS,
        /** The arrays a call returns. */
        CALL,
        /** The array a {@code static final} field holds (a constant table), and its rows. */
        FIELD
    }

    /**
     * An abstract array: every array that comes from the same place.
     *
     * @param id     its number, in order of discovery (parameters first)
     * @param origin where it comes from
     * @param param  the parameter, for {@link Origin#PARAM} and {@link Origin#PARAM_ROWS}; else null
     * @param type   the arrays' type
     */
    public record Loc(int id, Origin origin, Sym param, Ty type) {
        /** @return whether these are arrays of a parameter (its own, or the rows of a matrix parameter) */
        public boolean isParams() {
            return param != null;
        }
    }

    private final List<Loc> locs = new ArrayList<>();
    private final Map<Expr, Loc> sites = new IdentityHashMap<>();
    private final Map<Expr, Loc> rowSites = new IdentityHashMap<>();
    private final Map<Sym, Loc> paramLocs = new HashMap<>();
    private final Map<Sym, Loc> paramRowLocs = new HashMap<>();
    /** The array of each static final field read, by owner and name, and the rows of a matrix one. */
    private final Map<String, Loc> fieldLocs = new HashMap<>();
    private final Map<String, Loc> fieldRowLocs = new HashMap<>();
    /** The state before each statement (for a loop: at its head and where its condition is evaluated). */
    private final Map<Core, State> before = new IdentityHashMap<>();
    /** Every location a variable may hold anywhere. */
    private final Map<Sym, BitSet> everHeld = new HashMap<>();
    /** Every location the rows of a matrix location may be anywhere. */
    private final Map<Integer, BitSet> everRows = new HashMap<>();

    /** What may be where, at one point. */
    private static final class State {
        final Map<Sym, BitSet> vars = new HashMap<>();
        final Map<Integer, BitSet> rows = new HashMap<>();

        State copy() {
            State s = new State();
            vars.forEach((k, v) -> s.vars.put(k, (BitSet) v.clone()));
            rows.forEach((k, v) -> s.rows.put(k, (BitSet) v.clone()));
            return s;
        }

        /** Adds {@code other} to this state; @return whether this state grew */
        boolean join(State other) {
            if (other == null) {
                return false;
            }
            boolean changed = joinMap(vars, other.vars);
            return joinMap(rows, other.rows) | changed;
        }

        private static <K> boolean joinMap(Map<K, BitSet> into, Map<K, BitSet> from) {
            boolean changed = false;
            for (Map.Entry<K, BitSet> e : from.entrySet()) {
                BitSet mine = into.get(e.getKey());
                if (mine == null) {
                    if (!e.getValue().isEmpty()) {
                        into.put(e.getKey(), (BitSet) e.getValue().clone());
                        changed = true;
                    }
                } else {
                    int before = mine.cardinality();
                    mine.or(e.getValue());
                    changed |= mine.cardinality() != before;
                }
            }
            return changed;
        }

        BitSet rowsOf(int loc) {
            return rows.computeIfAbsent(loc, k -> new BitSet());
        }
    }

    private PointsTo() {}

    /**
     * Analyses a lowered method body.
     *
     * @param body   the lowered body
     * @param params the method's parameters
     * @return the analysis
     */
    public static PointsTo analyse(Core.Block body, List<Sym> params) {
        PointsTo p = new PointsTo();
        State entry = new State();
        for (Sym s : params) {
            if (s.type().isArray()) {
                Loc own = p.newLoc(Origin.PARAM, s, s.type());
                p.paramLocs.put(s, own);
                entry.vars.put(s, bits(own));
                if (s.type() == Ty.DOUBLE_MATRIX) {
                    Loc rows = p.newLoc(Origin.PARAM_ROWS, s, Ty.DOUBLE_ARRAY);
                    p.paramRowLocs.put(s, rows);
                    entry.rowsOf(own.id()).set(rows.id());
                }
            }
        }
        State exit = p.block(body, entry);
        p.summarise(entry);
        p.summarise(exit);
        p.before.values().forEach(p::summarise);
        return p;
    }

    private Loc newLoc(Origin origin, Sym param, Ty type) {
        Loc l = new Loc(locs.size(), origin, param, type);
        locs.add(l);
        return l;
    }

    private static BitSet bits(Loc l) {
        BitSet b = new BitSet();
        b.set(l.id());
        return b;
    }

    private void summarise(State s) {
        if (s == null) {
            return;
        }
        s.vars.forEach((k, v) -> everHeld.computeIfAbsent(k, x -> new BitSet()).or(v));
        s.rows.forEach((k, v) -> everRows.computeIfAbsent(k, x -> new BitSet()).or(v));
    }

    private void record(Core at, State s) {
        if (s == null) {
            return;
        }
        State known = before.get(at);
        if (known == null) {
            before.put(at, s.copy());
        } else {
            known.join(s);
        }
    }

    // ---------------------------------------------------------------- transfer

    /** @return the state after {@code b}, run from {@code in} (changed in place); null if it cannot end normally */
    private State block(Core.Block b, State in) {
        State s = in;
        for (Core c : b.stmts()) {
            if (s == null) {
                break; // after a throw: nothing runs
            }
            s = stmt(c, s);
        }
        return s;
    }

    private State stmt(Core c, State s) {
        return c.accept(new Core.PrimalVisitor<State>() {
            @Override
            public State visitBlock(Core.Block b) {
                record(b, s);
                return block(b, s);
            }

            @Override
            public State visitDeclare(Core.Declare d) {
                record(d, s);
                if (d.sym().type().isArray()) {
                    s.vars.put(d.sym(), eval(d.init(), s));
                } else {
                    eval(d.init(), s);
                }
                return s;
            }

            @Override
            public State visitAssign(Core.Assign a) {
                record(a, s);
                BitSet value = eval(a.value(), s);
                if (a.target() instanceof Expr.Var v) {
                    if (v.type().isArray()) {
                        s.vars.put(v.sym(), value); // strong update
                    }
                } else if (a.target() instanceof Expr.ArrayLoad al && al.type().isArray()) {
                    BitSet matrices = eval(al.array(), s);
                    for (int m = matrices.nextSetBit(0); m >= 0; m = matrices.nextSetBit(m + 1)) {
                        s.rowsOf(m).or(value); // weak update
                    }
                }
                return s;
            }

            @Override
            public State visitEval(Core.Eval e) {
                record(e, s);
                eval(e.call(), s);
                return s;
            }

            @Override
            public State visitIf(Core.If i) {
                record(i, s);
                eval(i.cond(), s);
                State then = block(i.then(), s.copy());
                State otherwise = block(i.otherwise(), s);
                if (then == null) {
                    return otherwise;
                }
                then.join(otherwise);
                return then;
            }

            @Override
            public State visitFor(Core.For f) {
                return counted(f, s);
            }

            @Override
            public State visitWhile(Core.While l) {
                return loop(l, s);
            }

            @Override
            public State visitThrow(Core.Throw t) {
                record(t, s);
                return null;
            }
        });
    }

    /**
     * A loop, to a fixed point. The state recorded for the loop itself covers where its condition (or bound) is
     * evaluated: the head of every iteration, and after the condition's side effects.
     */
    private State counted(Core.For f, State in) {
        State head = in;
        while (true) {
            record(f, head);
            State exit = head.copy();
            State back = block(f.body(), head.copy());
            if (!head.join(back)) {
                return exit;
            }
        }
    }

    private State loop(Core.While l, State in) {
        State head = in;
        while (true) {
            record(l, head);
            State exit;
            State back;
            if (l.testFirst()) {
                State afterCond = block(l.preCond(), head.copy());
                record(l, afterCond);
                exit = afterCond == null ? null : afterCond.copy();
                State afterBody = afterCond == null ? null : block(l.body(), afterCond);
                back = afterBody == null ? null : block(l.update(), afterBody);
            } else {
                State afterBody = block(l.body(), head.copy());
                record(l, afterBody);
                exit = afterBody == null ? null : afterBody.copy();
                back = afterBody == null ? null : block(l.update(), afterBody);
            }
            if (!head.join(back)) {
                return exit;
            }
        }
    }

    private BitSet eval(Expr e, State s) {
        return eval(e, s, true);
    }

    /**
     * @param effects whether to apply to {@code s} what evaluating {@code e} does to the rows of matrices (an
     *                allocation or an initializer of a matrix gives it its rows); false for a query
     * @return the locations an expression's value may be (empty for a value that is not an array)
     */
    private BitSet eval(Expr e, State s, boolean effects) {
        if (e == null) {
            return new BitSet();
        }
        return e.accept(new Eval(s, effects));
    }

    /** The locations a value may be, by kind; {@code effects} as for {@link #eval(Expr, State, boolean)}. */
    private final class Eval implements Expr.Visitor<BitSet> {
        private final State s;
        private final boolean effects;

        Eval(State s, boolean effects) {
            this.s = s;
            this.effects = effects;
        }

        @Override
        public BitSet visitVar(Expr.Var v) {
            BitSet out = new BitSet();
            BitSet held = s.vars.get(v.sym());
            if (held != null && v.type().isArray()) {
                out.or(held);
            }
            return out;
        }

        @Override
        public BitSet visitArrayLoad(Expr.ArrayLoad al) {
            BitSet out = new BitSet();
            BitSet arrays = eval(al.array(), s, effects);
            eval(al.index(), s, effects);
            if (al.type().isArray()) {
                for (int m = arrays.nextSetBit(0); m >= 0; m = arrays.nextSetBit(m + 1)) {
                    BitSet rows = s.rows.get(m);
                    if (rows != null) {
                        out.or(rows);
                    }
                }
            }
            return out;
        }

        @Override
        public BitSet visitNewArray(Expr.NewArray n) {
            BitSet out = new BitSet();
            n.dims().forEach(d -> eval(d, s, effects));
            Loc site = site(n, n.type());
            out.set(site.id());
            if (effects && n.type() == Ty.DOUBLE_MATRIX && n.dims().size() >= 2) {
                Loc rows = rowSites.computeIfAbsent(n, k -> newLoc(Origin.NEW_ROWS, null, Ty.DOUBLE_ARRAY));
                s.rowsOf(site.id()).set(rows.id());
            }
            return out;
        }

        @Override
        public BitSet visitArrayInit(Expr.ArrayInit init) {
            BitSet out = new BitSet();
            Loc site = site(init, init.type());
            out.set(site.id());
            for (Expr el : init.elements()) {
                BitSet v = eval(el, s, effects);
                if (effects && init.type() == Ty.DOUBLE_MATRIX) {
                    s.rowsOf(site.id()).or(v);
                }
            }
            return out;
        }

        @Override
        public BitSet visitCond(Expr.Cond c) {
            BitSet out = new BitSet();
            eval(c.cond(), s, effects);
            out.or(eval(c.then(), s, effects));
            out.or(eval(c.otherwise(), s, effects));
            return out;
        }

        @Override
        public BitSet visitCall(Expr.Call c) {
            BitSet out = new BitSet();
            BitSet reachable = new BitSet();
            for (Expr arg : c.args()) {
                reachable.or(reachable(eval(arg, s, effects), s));
            }
            if (dev.adjoint.processor.rules.Registry.isWithoutDerivative(c.callee())) {
                // a deep copy: fresh arrays (and rows), sharing nothing with its argument
                reachable.clear();
            }
            if (c.type().isArray()) {
                Loc site = site(c, c.type());
                out.set(site.id());
                if (effects && c.type() == Ty.DOUBLE_MATRIX) {
                    Loc rows = rowSites.computeIfAbsent(c, k -> newLoc(Origin.CALL, null, Ty.DOUBLE_ARRAY));
                    s.rowsOf(site.id()).set(rows.id());
                    for (int r = reachable.nextSetBit(0); r >= 0; r = reachable.nextSetBit(r + 1)) {
                        if (locs.get(r).type() == Ty.DOUBLE_ARRAY) {
                            s.rowsOf(site.id()).set(r);
                        }
                    }
                }
                // the callee may return an array it received, or a row of one
                for (int r = reachable.nextSetBit(0); r >= 0; r = reachable.nextSetBit(r + 1)) {
                    if (locs.get(r).type() == c.type()) {
                        out.set(r);
                    }
                }
            }
            return out;
        }

        // not arrays: only their operands are evaluated (an operand may allocate)

        @Override
        public BitSet visitLit(Expr.Lit e) {
            return new BitSet();
        }

        @Override
        public BitSet visitStaticField(Expr.StaticField e) {
            if (!e.type().isArray()) {
                return new BitSet();
            }
            String key = e.owner() + "." + e.name();
            Loc table = fieldLocs.computeIfAbsent(key, k -> newLoc(Origin.FIELD, null, e.type()));
            if (e.type() == Ty.DOUBLE_MATRIX) {
                Loc rows = fieldRowLocs.computeIfAbsent(key, k -> newLoc(Origin.FIELD, null, Ty.DOUBLE_ARRAY));
                if (effects) {
                    s.rowsOf(table.id()).set(rows.id());
                }
            }
            return bits(table);
        }

        @Override
        public BitSet visitLength(Expr.Length e) {
            return operands(e);
        }

        @Override
        public BitSet visitUnary(Expr.Unary e) {
            return operands(e);
        }

        @Override
        public BitSet visitBinary(Expr.Binary e) {
            return operands(e);
        }

        @Override
        public BitSet visitCast(Expr.Cast e) {
            return operands(e);
        }

        @Override
        public BitSet visitMathCall(Expr.MathCall e) {
            return operands(e);
        }

        @Override
        public BitSet visitAssign(Expr.Assign e) {
            throw notLowered(e);
        }

        @Override
        public BitSet visitIncDec(Expr.IncDec e) {
            throw notLowered(e);
        }

        @Override
        public BitSet visitHole(Expr.Hole e) {
            throw notLowered(e);
        }

        @Override
        public BitSet visitPop(Expr.Pop e) {
            throw notLowered(e);
        }

        private BitSet operands(Expr e) {
            for (Expr child : IrWalker.children(e)) {
                eval(child, s, effects);
            }
            return new BitSet();
        }
    }

    private static IllegalStateException notLowered(Expr e) {
        return new IllegalStateException("points-to of " + e.getClass().getSimpleName()
                + ", which a lowered value never holds: " + e);
    }

    private Loc site(Expr e, Ty type) {
        Origin origin = e instanceof Expr.Call ? Origin.CALL : Origin.NEW;
        return sites.computeIfAbsent(e, k -> newLoc(origin, null, type));
    }

    /** @return {@code start} and every location reachable from it through rows */
    private static BitSet reachable(BitSet start, State s) {
        BitSet out = (BitSet) start.clone();
        for (int m = start.nextSetBit(0); m >= 0; m = start.nextSetBit(m + 1)) {
            BitSet rows = s.rows.get(m);
            if (rows != null) {
                out.or(rows);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- queries

    /** @return every abstract array, by id */
    public List<Loc> locations() {
        return java.util.Collections.unmodifiableList(locs);
    }

    /**
     * @param array an array-valued expression evaluated by {@code at} (its target's array, an operand, ...)
     * @param at    the statement that evaluates it
     * @return the locations it may be there (empty where {@code at} is never reached)
     */
    public BitSet objects(Expr array, Core at) {
        State s = before.get(at);
        if (s == null) {
            return new BitSet();
        }
        return eval(array, s, false);
    }

    /** @return the locations the arrays reachable from {@code array} (itself and its rows) may be at {@code at} */
    public BitSet reachableObjects(Expr array, Core at) {
        State s = before.get(at);
        if (s == null) {
            return new BitSet();
        }
        return reachable(eval(array, s, false), s);
    }

    /** @return whether two array expressions evaluated by {@code at} may be the same array there */
    public boolean mayAlias(Expr a, Expr b, Core at) {
        return objects(a, at).intersects(objects(b, at));
    }

    /** @return every location the variable may hold anywhere in the method */
    public BitSet everHeld(Sym s) {
        BitSet b = everHeld.get(s);
        return b == null ? new BitSet() : (BitSet) b.clone();
    }

    /** @return every location the rows of matrix location {@code loc} may be, anywhere in the method */
    public BitSet everRows(int loc) {
        BitSet b = everRows.get(loc);
        return b == null ? new BitSet() : (BitSet) b.clone();
    }

    /** @return the location of a parameter's own array, or null for a parameter that is not an array */
    public Loc paramArray(Sym param) {
        return paramLocs.get(param);
    }

    /** @return the location of the rows of a matrix parameter, or null */
    public Loc paramRows(Sym param) {
        return paramRowLocs.get(param);
    }
}
