package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Renamed;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lowers a parsed method to {@link Core}: side effects leave expressions, loops become {@link Core.For}s (counted
 * where they can be), and jumps become flags. A {@code break} sets its loop's flag and the statements after it are
 * guarded by {@code if (!flag)}; the loop's condition checks the flag too. {@code continue} and {@code return}
 * work the same way, so every lowered block runs to its end (or throws), which is what lets the reverse sweep
 * walk it backwards. A loop condition with side effects is evaluated into a flag that the loop tests
 * ({@link Core.For}, {@link Core.While}).
 */
public final class Lowering {
    private final SymbolTable symbols;
    /** The called methods to put in place of their calls (source in the compilation, no recursion). */
    private final java.util.Map<dev.adjoint.processor.ir.Callee, MethodIR> inline;
    private Deque<LoopCtx> loops = new ArrayDeque<>();
    private final Set<Sym> usedFlags = new LinkedHashSet<>();
    private final Set<Sym> allFlags = new LinkedHashSet<>();
    private Sym result;
    private Sym returned;
    private boolean singleFinalReturn;

    /**
     * The lowered method.
     *
     * @param body    the lowered body
     * @param result  the local the body leaves the method's value in
     * @param symbols the method's symbol table, which has handed out every symbol lowering introduced; the later
     *                stages take their symbols from it too
     */
    public record Lowered(Core.Block body, Sym result, SymbolTable symbols) {}

    /** A loop, or a desugared switch ({@link Stmt.Breakable}): what break and continue leave, and their flags. */
    private static final class LoopCtx {
        final String label;
        /** Whether it is a loop: continue goes on to it (a switch is left by break only). */
        final boolean loop;
        /** Whether an unlabeled break leaves it: a loop or a switch statement, not a switch expression. */
        final boolean unlabeled;
        Sym brk;
        Sym cont;

        LoopCtx(String label) {
            this(label, true, true);
        }

        LoopCtx(String label, boolean loop, boolean unlabeled) {
            this.label = label;
            this.loop = loop;
            this.unlabeled = unlabeled;
        }
    }

    /** The outcome of lowering statements: the lowered statements and the flags they may set (exits). */
    private record Lowered0(List<Core> stmts, Set<Sym> exits) {}

    private Lowering(SymbolTable symbols, java.util.Map<dev.adjoint.processor.ir.Callee, MethodIR> inline) {
        this.symbols = symbols;
        this.inline = inline;
    }

    /**
     * Lowers a method.
     *
     * @param method the parsed method
     * @return its lowered body, which leaves its value in {@code result}, and the method's symbol table (made here,
     *     {@link SymbolTable#of}), for the stages after lowering
     */
    public static Lowered lower(MethodIR method) {
        return lower(method, java.util.Map.of());
    }

    /**
     * Lowers a method and, in place of each call of a method in {@code inline}, that method's body: its parameters
     * new locals bound to the arguments (evaluated once, in order), its locals new locals, its returns assignments
     * of a new local that the call then reads. The body's lines carry their own positions, so that an error found
     * in them points at the called method.
     *
     * @param inline the called methods with source in the compilation, none of them recursive
     */
    public static Lowered lower(MethodIR method, java.util.Map<dev.adjoint.processor.ir.Callee, MethodIR> inline) {
        SymbolTable symbols = SymbolTable.of(method);
        for (MethodIR callee : inline.values()) {
            // the names a called method mentions (its classes, constants, locals) stay free in generated code
            symbols.names().reserveAll(dev.adjoint.processor.ir.Names.mentionedBy(callee));
        }
        return new Lowering(symbols, inline).run(method);
    }

    private Lowered run(MethodIR method) {
        rowsFixed = !rebindsRows(method.body());
        for (MethodIR callee : inline.values()) {
            rowsFixed &= !rebindsRows(callee.body());
        }
        result = symbols.fresh("result", method.returnType());
        List<Stmt> top = method.body().stmts();
        int returns = countReturns(method.body());
        singleFinalReturn = returns == 1 && !top.isEmpty() && top.get(top.size() - 1) instanceof Stmt.Return;
        List<Core> out = new ArrayList<>();
        if (!singleFinalReturn) {
            out.add(new Core.Declare(result, zero(method.returnType()), Pos.NONE));
            returned = symbols.fresh("returned", Ty.BOOLEAN);
            allFlags.add(returned);
            out.add(new Core.Declare(returned, lit("false", Ty.BOOLEAN), Pos.NONE));
        }
        out.addAll(lowerStmts(top, 0).stmts());
        Core.Block body = removeUnusedFlags(new Core.Block(out, method.body().pos()));
        return new Lowered(body, result, symbols);
    }

    // ---------------------------------------------------------------- statements

    private Lowered0 lowerStmts(List<Stmt> stmts, int from) {
        List<Core> out = new ArrayList<>();
        for (int i = from; i < stmts.size(); i++) {
            Lowered0 one = lowerStmt(stmts.get(i));
            out.addAll(one.stmts());
            if (!one.exits().isEmpty()) {
                if (i + 1 < stmts.size()) {
                    Lowered0 rest = lowerStmts(stmts, i + 1);
                    if (!rest.stmts().isEmpty()) {
                        out.add(new Core.If(notAny(one.exits()), block(rest.stmts()), block(List.of()),
                                Pos.NONE));
                    }
                    Set<Sym> exits = new LinkedHashSet<>(one.exits());
                    exits.addAll(rest.exits());
                    return new Lowered0(out, exits);
                }
                return new Lowered0(out, one.exits());
            }
        }
        return new Lowered0(out, Set.of());
    }

    private Core.Block lowerBlock(Stmt.Block b, Set<Sym> exitsOut) {
        if (b == null) {
            return block(List.of());
        }
        Lowered0 l = lowerStmts(b.stmts(), 0);
        exitsOut.addAll(l.exits());
        return new Core.Block(l.stmts(), b.pos());
    }

    private Lowered0 lowerStmt(Stmt s) {
        List<Core> out = new ArrayList<>();
        Set<Sym> exits = new LinkedHashSet<>();
        s.accept(new Stmt.Visitor<Void>() {
            @Override
            public Void visitBlock(Stmt.Block b) {
                out.add(lowerBlock(b, exits));
                return null;
            }

            @Override
            public Void visitDecl(Stmt.Decl d) {
                Expr init = d.init() == null ? zero(d.sym().type()) : pure(d.init(), out);
                out.add(new Core.Declare(d.sym(), init, d.pos()));
                return null;
            }

            @Override
            public Void visitExprStmt(Stmt.ExprStmt e) {
                effect(e.expr(), out);
                return null;
            }

            @Override
            public Void visitIf(Stmt.If i) {
                Expr cond = pure(i.cond(), out);
                Core.Block then = lowerBlock(i.then(), exits);
                Core.Block otherwise = lowerBlock(i.otherwise(), exits);
                out.add(new Core.If(cond, then, otherwise, i.pos()));
                return null;
            }

            @Override
            public Void visitWhile(Stmt.While w) {
                lowerLoop(w.label(), List.of(), w.cond(), List.of(), w.body(), true, null, w.pos(), out, exits);
                return null;
            }

            @Override
            public Void visitDoWhile(Stmt.DoWhile d) {
                lowerLoop(d.label(), List.of(), d.cond(), List.of(), d.body(), false, null, d.pos(), out, exits);
                return null;
            }

            @Override
            public Void visitFor(Stmt.For f) {
                lowerLoop(f.label(), f.init(), f.cond(), f.update(), f.body(), true, null, f.pos(), out, exits);
                return null;
            }

            @Override
            public Void visitForEach(Stmt.ForEach f) {
                lowerForEach(f, out, exits);
                return null;
            }

            @Override
            public Void visitBreakable(Stmt.Breakable b) {
                // its breaks set its flag, which guards the rest of its block and ends there
                LoopCtx ctx = new LoopCtx(b.label(), false, b.unlabeled());
                loops.push(ctx);
                Set<Sym> inner = new LinkedHashSet<>();
                Core.Block body;
                try {
                    body = lowerBlock(b.body(), inner);
                } finally {
                    loops.pop();
                }
                if (ctx.brk != null) {
                    out.add(new Core.Declare(ctx.brk, lit("false", Ty.BOOLEAN), Pos.NONE));
                    inner.remove(ctx.brk);
                }
                out.add(body);
                exits.addAll(inner);
                return null;
            }

            @Override
            public Void visitBreak(Stmt.Break b) {
                LoopCtx target = target(b.label(), false);
                if (target.brk == null) {
                    target.brk = flag("exited");
                }
                out.add(new Core.Assign(var(target.brk), lit("true", Ty.BOOLEAN), b.pos()));
                exits.add(target.brk);
                return null;
            }

            @Override
            public Void visitContinue(Stmt.Continue c) {
                LoopCtx target = target(c.label(), true);
                if (target.cont == null) {
                    target.cont = flag("continued");
                }
                out.add(new Core.Assign(var(target.cont), lit("true", Ty.BOOLEAN), c.pos()));
                exits.add(target.cont);
                return null;
            }

            @Override
            public Void visitReturn(Stmt.Return r) {
                if (result == null) {
                    // the return of a void method inlined: it ends the body
                    if (returned != null) {
                        out.add(new Core.Assign(var(returned), lit("true", Ty.BOOLEAN), r.pos()));
                        exits.add(returned);
                    }
                    return null;
                }
                Expr value = widen(pure(r.value(), out), result.type());
                if (singleFinalReturn) {
                    out.add(new Core.Declare(result, value, r.pos()));
                } else {
                    out.add(new Core.Assign(var(result), value, r.pos()));
                    out.add(new Core.Assign(var(returned), lit("true", Ty.BOOLEAN), r.pos()));
                    exits.add(returned);
                }
                return null;
            }

            @Override
            public Void visitThrow(Stmt.Throw t) {
                out.add(new Core.Throw(t.source(), t.pos()));
                return null;
            }
        });
        return new Lowered0(out, exits);
    }

    /** The loop or switch a break (or continue) leaves: the innermost one of its label, or that takes it. */
    private LoopCtx target(String label, boolean isContinue) {
        for (LoopCtx l : loops) {
            if (isContinue && !l.loop) {
                continue;
            }
            if (label == null ? l.unlabeled : label.equals(l.label)) {
                return l;
            }
        }
        throw new IllegalStateException("no loop for label " + label);
    }

    private Sym flag(String base) {
        Sym s = symbols.fresh(base, Ty.BOOLEAN);
        allFlags.add(s);
        return s;
    }

    /**
     * Lowers any loop. {@code init} runs once before; {@code update} after each iteration (also after continue).
     */
    private void lowerLoop(String label, List<Stmt> init, Expr cond, List<Stmt> update, Stmt.Block body,
            boolean testFirst, Core prologue, Pos pos, List<Core> out, Set<Sym> exits) {
        List<Core> scope = new ArrayList<>();
        for (Stmt s : init) {
            scope.addAll(lowerStmt(s).stmts());
        }
        if (prologue != null) {
            scope.add(prologue);
        }
        LoopCtx ctx = new LoopCtx(label);
        loops.push(ctx);
        Set<Sym> bodyExits = new LinkedHashSet<>();
        Core.Block loweredBody = lowerBlock(body, bodyExits);
        List<Core> loweredUpdate = new ArrayList<>();
        for (Stmt u : update) {
            loweredUpdate.addAll(lowerStmt(u).stmts());
        }
        loops.pop();

        Set<Sym> stops = new LinkedHashSet<>(bodyExits);
        if (ctx.cont != null) {
            stops.remove(ctx.cont);
        }
        // A condition with side effects is evaluated, with the statements that carry them out, into a flag
        // declared before the loop; the loop tests the flag. The test is then one self-contained block: its
        // temporaries never need to be in scope where the loop tests, so it can run after a do-loop's body
        // (Java's do-while cannot see the body's locals), and it can be skipped after break and return, where Java
        // does not evaluate the condition again.
        List<Core> setup = new ArrayList<>();
        Expr c = cond == null ? null : pure(cond, setup);
        Sym more = null;
        List<Core> test = List.of();
        if (!setup.isEmpty()) {
            more = symbols.fresh("more", Ty.BOOLEAN);
            setup.add(new Core.Assign(var(more), c, cond.pos()));
            c = var(more);
            test = stops.isEmpty() ? setup
                    : List.of(new Core.If(notAny(stops), block(setup), block(List.of()), Pos.NONE));
        }

        List<Core> bodyStmts = new ArrayList<>(loweredBody.stmts());
        if (ctx.cont != null) {
            bodyStmts.add(0, new Core.Assign(var(ctx.cont), lit("false", Ty.BOOLEAN), Pos.NONE));
        }
        List<Core> preCond = testFirst ? test : List.of();
        if (!testFirst && !test.isEmpty()) {
            // a do-loop's condition runs after the body, and after continue, but not after break or return
            bodyStmts.add(stops.isEmpty() ? block(test) : test.get(0));
        }
        if (!stops.isEmpty()) {
            Expr go = notAny(stops);
            c = c == null ? go : new Expr.Binary(BinOp.AND, go, c, Ty.BOOLEAN, Pos.NONE);
            if (!loweredUpdate.isEmpty()) {
                loweredUpdate = List.of(new Core.If(go, block(loweredUpdate), block(List.of()), Pos.NONE));
            }
        }
        Counted counted = stops.isEmpty() && testFirst && setup.isEmpty() && prologue == null
                ? counted(scope, cond, update, loweredBody, loweredUpdate) : null;
        List<Core> flagDecls = new ArrayList<>();
        if (more != null) {
            flagDecls.add(new Core.Declare(more, lit("false", Ty.BOOLEAN), Pos.NONE));
        }
        if (ctx.brk != null) {
            flagDecls.add(new Core.Declare(ctx.brk, lit("false", Ty.BOOLEAN), Pos.NONE));
        }
        if (ctx.cont != null) {
            flagDecls.add(new Core.Declare(ctx.cont, lit("false", Ty.BOOLEAN), Pos.NONE));
        }
        Core loop;
        if (counted != null) {
            scope.clear();
            loop = new Core.For(counted.index(), counted.from(), counted.cmp(), counted.bound(), counted.step(),
                    block(bodyStmts), pos);
        } else {
            loop = new Core.While(block(preCond), c == null ? lit("true", Ty.BOOLEAN) : c, block(bodyStmts),
                    block(loweredUpdate), testFirst, pos);
        }
        scope.addAll(flagDecls);
        scope.add(loop);
        if (scope.size() == 1) {
            out.add(loop);
        } else if (init.isEmpty() && prologue == null) {
            out.addAll(scope); // only flag declarations: they can live in the enclosing block
        } else {
            out.add(block(scope));
        }
        Set<Sym> outward = new LinkedHashSet<>(stops);
        if (ctx.brk != null) {
            outward.remove(ctx.brk);
        }
        exits.addAll(outward);
    }

    /**
     * Recognises {@code for (int i = from; i < bound; i++)} (and {@code <=}, {@code >}, {@code >=}, {@code --}) with a
     * bound that the loop does not change, and an index the body does not assign.
     */
    /** A counted loop's header, as {@link #counted} recognises it. */
    private record Counted(Sym index, Expr from, BinOp cmp, Expr bound, int step) {}

    private Counted counted(List<Core> init, Expr cond, List<Stmt> update, Core.Block body,
            List<Core> loweredUpdate) {
        if (init.size() != 1 || !(init.get(0) instanceof Core.Declare d) || cond == null || update.size() != 1) {
            return null;
        }
        Sym i = d.sym();
        if (i.type() != Ty.INT && i.type() != Ty.LONG) {
            return null;
        }
        if (!(cond instanceof Expr.Binary b)) {
            return null;
        }
        BinOp cmp = b.op();
        Expr bound;
        if (isVar(b.left(), i)) {
            bound = b.right();
        } else if (isVar(b.right(), i)) {
            bound = b.left();
            cmp = flip(cmp);
            if (cmp == null) {
                return null;
            }
        } else {
            return null;
        }
        if (cmp != BinOp.LT && cmp != BinOp.LE && cmp != BinOp.GT && cmp != BinOp.GE) {
            return null;
        }
        int step = unitStep(update.get(0), i);
        if (step == 0 || (step > 0) != (cmp == BinOp.LT || cmp == BinOp.LE)) {
            return null;
        }
        if (!(simpleBound(bound) || rowLength(bound)) || !simpleBound(d.init()) || mentions(d.init(), i)) {
            return null;
        }
        Set<Sym> assigned = new LinkedHashSet<>();
        CoreWalk.assignedVars(body, assigned);
        loweredUpdate.forEach(u -> CoreWalk.assignedVars(u, assigned));
        assigned.remove(i);
        if (CoreWalk.assigns(body, i)) {
            return null;
        }
        Set<Sym> boundVars = new LinkedHashSet<>();
        CoreWalk.vars(bound, boundVars);
        CoreWalk.vars(d.init(), boundVars);
        for (Sym s : boundVars) {
            if (assigned.contains(s) || s == i) {
                return null;
            }
        }
        return new Counted(i, d.init(), cmp, bound, step);
    }

    /**
     * Whether no statement of the method, nor of a method inlined into it, can make a row of a matrix another array:
     * none assigns an element that is an array, and no call is passed an array of arrays. A row's length is then as
     * fixed as the variables that pick the row.
     */
    private boolean rowsFixed;

    private static boolean rebindsRows(Stmt body) {
        boolean[] found = {false};
        IrWalker.forEachExpr(body, e -> {
            if (e instanceof Expr.Assign a && a.target() instanceof Expr.ArrayLoad al && al.type().isArray()) {
                found[0] = true;
            }
            List<Expr> args = e instanceof Expr.Call c ? c.args() : e instanceof Expr.MathCall m ? m.args() : List.of();
            for (Expr arg : args) {
                found[0] |= arg.type().isArray() && arg.type().element().isArray();
            }
        });
        return found[0];
    }

    /**
     * @return whether a loop bound is the length of a row, {@code X[i].length}, with simple array and index
     *     expressions, in a method whose rows stay put ({@link #rowsFixed}): the loop's check on its variables then
     *     keeps the bound fixed
     */
    private boolean rowLength(Expr bound) {
        return rowsFixed && bound instanceof Expr.Length len && len.array() instanceof Expr.ArrayLoad row
                && simpleBound(row.array()) && simpleBound(row.index());
    }

    /** @return whether a loop bound (or start) reads no array element and calls nothing, so that it stays put */
    private static boolean simpleBound(Expr e) {
        boolean[] ok = {true};
        IrWalker.visit(e, x -> ok[0] &= x.accept(SIMPLE));
        return ok[0];
    }

    /** Whether a node of a bound is one a counted loop allows (its children are asked on their own). */
    private static final Expr.Visitor<Boolean> SIMPLE = new Expr.Visitor<>() {
        @Override
        public Boolean visitLit(Expr.Lit e) {
            return true;
        }

        @Override
        public Boolean visitVar(Expr.Var e) {
            return true;
        }

        @Override
        public Boolean visitStaticField(Expr.StaticField e) {
            return true;
        }

        @Override
        public Boolean visitLength(Expr.Length e) {
            return true; // the array variable is checked with the bound's variables
        }

        @Override
        public Boolean visitUnary(Expr.Unary e) {
            return true;
        }

        @Override
        public Boolean visitBinary(Expr.Binary e) {
            return true;
        }

        @Override
        public Boolean visitCond(Expr.Cond e) {
            return true;
        }

        @Override
        public Boolean visitCast(Expr.Cast e) {
            return true;
        }

        @Override
        public Boolean visitMathCall(Expr.MathCall e) {
            return true;
        }

        @Override
        public Boolean visitArrayLoad(Expr.ArrayLoad e) {
            return false; // the body may write the element
        }

        @Override
        public Boolean visitCall(Expr.Call e) {
            return false;
        }

        @Override
        public Boolean visitNewArray(Expr.NewArray e) {
            return false;
        }

        @Override
        public Boolean visitArrayInit(Expr.ArrayInit e) {
            return false;
        }

        @Override
        public Boolean visitAssign(Expr.Assign e) {
            return false;
        }

        @Override
        public Boolean visitIncDec(Expr.IncDec e) {
            return false;
        }

        @Override
        public Boolean visitHole(Expr.Hole e) {
            throw new IllegalStateException("a rule's hole in a loop bound: " + e);
        }

        @Override
        public Boolean visitPop(Expr.Pop e) {
            throw new IllegalStateException("a tape pop in a loop bound: " + e);
        }
    };

    private static boolean mentions(Expr e, Sym s) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= isVar(x, s));
        return found[0];
    }

    private static BinOp flip(BinOp op) {
        return switch (op) {
            case LT -> BinOp.GT;
            case LE -> BinOp.GE;
            case GT -> BinOp.LT;
            case GE -> BinOp.LE;
            default -> null;
        };
    }

    /** @return +1 or -1 when {@code update} is {@code i++}, {@code i += 1}, {@code i = i + 1} (or the decrements), else 0 */
    private static int unitStep(Stmt update, Sym i) {
        if (!(update instanceof Stmt.ExprStmt es)) {
            return 0;
        }
        Expr e = es.expr();
        if (e instanceof Expr.IncDec inc && isVar(inc.target(), i)) {
            return inc.increment() ? 1 : -1;
        }
        if (e instanceof Expr.Assign a && isVar(a.target(), i)) {
            if ((a.op() == Expr.AssignOp.ADD || a.op() == Expr.AssignOp.SUB) && isOne(a.value())) {
                return a.op() == Expr.AssignOp.ADD ? 1 : -1;
            }
            if (a.op() == Expr.AssignOp.SET && a.value() instanceof Expr.Binary b && isVar(b.left(), i)
                    && isOne(b.right()) && (b.op() == BinOp.ADD || b.op() == BinOp.SUB)) {
                return b.op() == BinOp.ADD ? 1 : -1;
            }
        }
        return 0;
    }

    private static boolean isOne(Expr e) {
        return e instanceof Expr.Lit l && (l.text().equals("1") || l.text().equals("1L") || l.text().equals("1l"));
    }

    private static boolean isVar(Expr e, Sym s) {
        return e instanceof Expr.Var v && v.sym() == s;
    }

    private void lowerForEach(Stmt.ForEach f, List<Core> out, Set<Sym> exits) {
        List<Core> pre = new ArrayList<>();
        Expr array = pure(f.array(), pre);
        out.addAll(pre);
        Core prologue = null;
        Sym arraySym;
        if (array instanceof Expr.Var v && !assignsInside(f.body(), v.sym())) {
            arraySym = v.sym();
        } else {
            arraySym = symbols.fresh(f.var().name() + "s", array.type());
            prologue = new Core.Declare(arraySym, array, f.pos());
        }
        Sym index = symbols.fresh(f.var().name() + "Index", Ty.INT);
        Expr arr = var(arraySym);
        Stmt.Decl element = new Stmt.Decl(f.var(), new Expr.ArrayLoad(arr, var(index), f.pos()), f.pos());
        List<Stmt> bodyStmts = new ArrayList<>();
        bodyStmts.add(element);
        bodyStmts.addAll(f.body().stmts());
        Stmt.Block body = new Stmt.Block(bodyStmts, f.body().pos());
        Stmt init = new Stmt.Decl(index, lit("0", Ty.INT), f.pos());
        Expr cond = new Expr.Binary(BinOp.LT, var(index), new Expr.Length(arr, f.pos()), Ty.BOOLEAN, f.pos());
        Stmt update = new Stmt.ExprStmt(new Expr.IncDec(var(index), true, false, f.pos()), f.pos());
        if (prologue == null) {
            lowerLoop(f.label(), List.of(init), cond, List.of(update), body, true, null, f.pos(), out, exits);
        } else {
            List<Core> scope = new ArrayList<>();
            scope.add(prologue);
            lowerLoop(f.label(), List.of(init), cond, List.of(update), body, true, null, f.pos(), scope, exits);
            out.add(block(scope));
        }
    }

    private static boolean assignsInside(Stmt body, Sym s) {
        boolean[] found = {false};
        IrWalker.forEachExpr(body, e -> {
            if (e instanceof Expr.Assign a && isVar(a.target(), s)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    // ---------------------------------------------------------------- expressions

    /** Lowers an expression evaluated for its effect (a statement expression). */
    private void effect(Expr e, List<Core> out) {
        e.accept(new Expr.Visitor<Void>() {
            @Override
            public Void visitAssign(Expr.Assign a) {
                assign(a, out);
                return null;
            }

            @Override
            public Void visitIncDec(Expr.IncDec i) {
                Expr target = target(i.target(), out, false);
                out.add(new Core.Assign(target, step(target, i.increment(), i.pos()), i.pos()));
                return null;
            }

            @Override
            public Void visitCall(Expr.Call c) {
                Expr value = pure(c, out);
                if (!VectorOps.expands(c) && !inline.containsKey(c.callee())) {
                    out.add(new Core.Eval(value, c.pos()));
                } // else the loops are the statement (their result unused)
                return null;
            }

            @Override
            public Void visitMathCall(Expr.MathCall m) {
                out.add(new Core.Eval(pure(m, out), m.pos()));
                return null;
            }

            // Java allows no other expression as a statement

            @Override
            public Void visitLit(Expr.Lit x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitVar(Expr.Var x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitStaticField(Expr.StaticField x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitArrayLoad(Expr.ArrayLoad x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitLength(Expr.Length x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitUnary(Expr.Unary x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitBinary(Expr.Binary x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitCond(Expr.Cond x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitCast(Expr.Cast x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitNewArray(Expr.NewArray x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitArrayInit(Expr.ArrayInit x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitHole(Expr.Hole x) {
                throw notAStatement(x);
            }

            @Override
            public Void visitPop(Expr.Pop x) {
                throw notAStatement(x);
            }
        });
    }

    private static IllegalStateException notAStatement(Expr e) {
        return new IllegalStateException(e.getClass().getSimpleName() + " as a statement: " + e);
    }

    /** Lowers an assignment; returns the target (whose value is the assignment's value). */
    private Expr assign(Expr.Assign a, List<Core> out) {
        boolean valueHasEffects = hasEffects(a.value());
        if (valueHasEffects && a.op() != Expr.AssignOp.SET) {
            return compoundAssignWithEffects(a, out);
        }
        Expr target = target(a.target(), out, valueHasEffects);
        Expr value = pure(a.value(), out);
        Expr rhs;
        if (a.op() == Expr.AssignOp.SET) {
            rhs = value;
        } else {
            BinOp op = a.op().binary;
            Ty t = op == BinOp.SHL || op == BinOp.SHR || op == BinOp.USHR ? target.type()
                    : Ty.promote(target.type(), value.type());
            rhs = new Expr.Binary(op, target, value, t, a.pos());
        }
        out.add(new Core.Assign(target, narrow(rhs, target.type()), a.pos()));
        return target;
    }

    /**
     * A compound assignment whose value has side effects: Java reads the target's value before it evaluates the
     * right-hand side (JLS 15.26.2), so a call in the value that writes the target's element (a helper writing into
     * its array argument) does not change the left operand. The old value is captured first.
     */
    private Expr compoundAssignWithEffects(Expr.Assign a, List<Core> out) {
        Expr target = target(a.target(), out, true);
        // a called method cannot assign the caller's local, so a variable target keeps its value unless the value
        // itself assigns something (s += (s = 2) + f())
        Expr old = target instanceof Expr.Var && !assigns(a.value()) ? target : capture(target, out);
        Expr value = pure(a.value(), out);
        BinOp op = a.op().binary;
        Ty t = op == BinOp.SHL || op == BinOp.SHR || op == BinOp.USHR ? target.type()
                : Ty.promote(target.type(), value.type());
        Expr rhs = new Expr.Binary(op, old, value, t, a.pos());
        out.add(new Core.Assign(target, narrow(rhs, target.type()), a.pos()));
        return target;
    }

    /**
     * Lowers the array and index of an assignment target, capturing them if the value has side effects. An index
     * that reads array elements is captured too: the write may change what it reads, and the reverse sweep must
     * address the element that was written.
     */
    private Expr target(Expr t, List<Core> out, boolean capture) {
        if (t instanceof Expr.ArrayLoad al) {
            Expr array = al.array() instanceof Expr.ArrayLoad row ? target(row, out, capture) : pure(al.array(), out);
            Expr index = pure(al.index(), out);
            if (capture) {
                array = capture(array, out);
            }
            if (capture || readsElements(index)) {
                index = capture(index, out);
            }
            return new Expr.ArrayLoad(array, index, al.pos());
        }
        return t;
    }

    private static boolean readsElements(Expr e) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.ArrayLoad || x instanceof Expr.Call);
        return found[0];
    }

    /** {@code target + 1} or {@code target - 1} in the target's type. */
    private static Expr step(Expr target, boolean increment, Pos pos) {
        Ty t = target.type();
        String one = t == Ty.DOUBLE ? "1.0" : t == Ty.LONG ? "1L" : "1";
        return new Expr.Binary(increment ? BinOp.ADD : BinOp.SUB, target, lit(one, t), t, pos);
    }

    /**
     * Returns a pure expression with the value of {@code e}, appending to {@code out} the statements that carry out
     * its side effects, in Java's evaluation order.
     */
    private Expr pure(Expr e, List<Core> out) {
        if (e == null || !hasEffects(e)) {
            return e;
        }
        return e.accept(new Pure(out));
    }

    /** {@link #pure} of an expression with side effects, by kind; the statements go to {@code out}. */
    private final class Pure implements Expr.Visitor<Expr> {
        private final List<Core> out;

        Pure(List<Core> out) {
            this.out = out;
        }

        @Override
        public Expr visitAssign(Expr.Assign a) {
            return assign(a, out);
        }

        @Override
        public Expr visitIncDec(Expr.IncDec i) {
            Expr target = capturedTarget(target(i.target(), out, false), out);
            if (i.prefix()) {
                out.add(new Core.Assign(target, step(target, i.increment(), i.pos()), i.pos()));
                return target;
            }
            Sym old = symbols.fresh("old", target.type());
            out.add(new Core.Declare(old, target, i.pos()));
            out.add(new Core.Assign(target, step(target, i.increment(), i.pos()), i.pos()));
            return var(old);
        }

        @Override
        public Expr visitBinary(Expr.Binary b) {
            if (b.op() != BinOp.AND && b.op() != BinOp.OR) {
                return inOrder(b);
            }
            // short-circuit: the right operand's effects happen only when it is evaluated
            Expr left = pure(b.left(), out);
            Sym t = symbols.fresh("test", Ty.BOOLEAN);
            out.add(new Core.Declare(t, left, b.pos()));
            List<Core> rightStmts = new ArrayList<>();
            Expr right = pure(b.right(), rightStmts);
            rightStmts.add(new Core.Assign(var(t), right, b.pos()));
            Expr when = b.op() == BinOp.AND ? var(t) : new Expr.Unary(Expr.UnOp.NOT, var(t), Ty.BOOLEAN, b.pos());
            out.add(new Core.If(when, block(rightStmts), block(List.of()), b.pos()));
            return var(t);
        }

        @Override
        public Expr visitCond(Expr.Cond c) {
            Expr cond = pure(c.cond(), out);
            return Choice.toIf(c, cond, symbols, Lowering.this::pure, out);
        }

        @Override
        public Expr visitArrayLoad(Expr.ArrayLoad e) {
            return inOrder(e);
        }

        @Override
        public Expr visitLength(Expr.Length e) {
            return inOrder(e);
        }

        @Override
        public Expr visitUnary(Expr.Unary e) {
            return inOrder(e);
        }

        @Override
        public Expr visitCast(Expr.Cast e) {
            return inOrder(e);
        }

        @Override
        public Expr visitMathCall(Expr.MathCall e) {
            Expr lowered = inOrder(e);
            if (lowered instanceof Expr.MathCall m && m.args().stream().anyMatch(a -> a.type().isArray()
                    && !(a instanceof Expr.Var || a instanceof Expr.ArrayLoad))) {
                // a call that takes arrays (a custom rule's, a recursive method's) gets the adjoint and tangent
                // arrays of its array arguments: each one a variable or a row, so that it has them
                List<Expr> args = new ArrayList<>();
                for (Expr a : m.args()) {
                    args.add(a.type().isArray() && !(a instanceof Expr.Var || a instanceof Expr.ArrayLoad)
                            ? capture(a, out) : a);
                }
                return new Expr.MathCall(m.callee(), args, m.pos());
            }
            return lowered;
        }

        @Override
        public Expr visitCall(Expr.Call e) {
            if (inline.containsKey(e.callee())) {
                return inlined(e, out);
            }
            if (VectorOps.expands(e)) {
                // arguments evaluated once, in order (a variable is read where it is, unless a later argument
                // assigns it), then the operation's loops
                List<Expr> args = new ArrayList<>();
                for (int k = 0; k < e.args().size(); k++) {
                    Expr lowered = pure(e.args().get(k), out);
                    boolean laterAssigns = false;
                    for (int m = k + 1; m < e.args().size(); m++) {
                        laterAssigns |= assigns(e.args().get(m));
                    }
                    args.add(lowered instanceof Expr.Var && !laterAssigns ? lowered : capture(lowered, out));
                }
                return e.owner().equals(VectorOps.OWNER) ? VectorOps.expand(e, args, symbols, out)
                        : ArrayOps.expand(e, args, symbols, out);
            }
            return inOrder(e);
        }

        @Override
        public Expr visitNewArray(Expr.NewArray e) {
            return inOrder(e);
        }

        @Override
        public Expr visitArrayInit(Expr.ArrayInit e) {
            return inOrder(e);
        }

        // leaves have no side effects: pure never asks for them

        @Override
        public Expr visitLit(Expr.Lit e) {
            return e;
        }

        @Override
        public Expr visitVar(Expr.Var e) {
            return e;
        }

        @Override
        public Expr visitStaticField(Expr.StaticField e) {
            return e;
        }

        @Override
        public Expr visitHole(Expr.Hole e) {
            throw new IllegalStateException("a rule's hole in a method's body: " + e);
        }

        @Override
        public Expr visitPop(Expr.Pop e) {
            throw new IllegalStateException("a tape pop in a method's body: " + e);
        }

        /**
         * Evaluates the children left to right, capturing a child's value in a temporary when a later child has
         * side effects, and rebuilds the node from what they lowered to.
         */
        private Expr inOrder(Expr e) {
            List<Expr> kids = IrWalker.children(e);
            int[] k = {0};
            return Rewrite.children(e, kid -> {
                Expr lowered = pure(kid, out);
                boolean laterEffects = false;
                boolean laterAssigns = false;
                for (int m = ++k[0]; m < kids.size(); m++) {
                    laterEffects |= hasEffects(kids.get(m));
                    laterAssigns |= assigns(kids.get(m));
                }
                // a called method's body cannot assign the caller's variables: a variable read before a call keeps
                // its value (an array element may not: the body may write the array)
                boolean keeps = lowered instanceof Expr.Var && !laterAssigns;
                return laterEffects && !keeps ? capture(lowered, out) : lowered;
            });
        }
    }

    private Expr capturedTarget(Expr target, List<Core> out) {
        if (target instanceof Expr.ArrayLoad al) {
            return new Expr.ArrayLoad(capture(al.array(), out), capture(al.index(), out), al.pos());
        }
        return target;
    }

    /** Saves a value in a fresh local unless it is a constant. */
    private Expr capture(Expr e, List<Core> out) {
        if (e instanceof Expr.Lit || e instanceof Expr.StaticField) {
            return e;
        }
        Sym t = symbols.fresh("tmp", e.type());
        out.add(new Core.Declare(t, e, e.pos()));
        return var(t);
    }

    /** @return whether evaluating {@code e} assigns anything */
    private boolean hasEffects(Expr e) {
        boolean[] found = {false};
        // a vector operation is lowered to its loops, a called method to its body: statements, like a side effect's
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Assign || x instanceof Expr.IncDec
                || VectorOps.expands(x) || x instanceof Expr.Call c && inline.containsKey(c.callee()));
        return found[0];
    }

    /** @return whether the body of {@code m} assigns its parameter {@code p} (not its elements) */
    private static boolean assignsParameter(MethodIR m, Sym p) {
        boolean[] found = {false};
        IrWalker.forEachExpr(m.body(), e -> {
            if (e instanceof Expr.Assign a && isVar(a.target(), p) || e instanceof Expr.IncDec i && isVar(i.target(), p)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    /** @return whether {@code e} assigns a variable or an element itself (not in a called method's body) */
    private static boolean assigns(Expr e) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Assign || x instanceof Expr.IncDec
                || VectorOps.expands(x));
        return found[0];
    }

    /**
     * A call of a method whose body goes in its place: the arguments are evaluated in order into the parameters
     * (new locals), then the body runs, lowered as a method's is (its returns assign a new local, named after the
     * method, and set its own flag; its loops are its own), and the call's value is that local.
     */
    private Expr inlined(Expr.Call call, List<Core> out) {
        MethodIR callee = inline.get(call.callee());
        java.util.Map<Sym, Sym> renamed = new java.util.HashMap<>();
        for (int i = 0; i < callee.params().size(); i++) {
            Sym p = callee.params().get(i);
            Expr arg = pure(call.args().get(i), out);
            boolean laterAssigns = false;
            for (int m = i + 1; m < call.args().size(); m++) {
                laterAssigns |= assigns(call.args().get(m));
            }
            if (arg instanceof Expr.Var v && v.type() == p.type() && !laterAssigns && !assignsParameter(callee, p)) {
                // a parameter the body only reads is the argument's variable itself
                renamed.put(p, v.sym());
                continue;
            }
            Sym local = symbols.fresh(p.name(), p.type());
            renamed.put(p, local);
            out.add(new Core.Declare(local, widen(arg, p.type()), call.pos()));
        }
        IrWalker.forEachSym(callee.body(), s -> renamed.computeIfAbsent(s, k -> symbols.fresh(k.name(), k.type())));
        Stmt.Block body = Renamed.of(callee.body(), renamed);

        Sym savedResult = result;
        Sym savedReturned = returned;
        boolean savedSingle = singleFinalReturn;
        Deque<LoopCtx> savedLoops = loops;
        try {
            boolean isVoid = callee.returnType() == null;
            result = isVoid ? null : symbols.fresh(callee.name() + "Value", callee.returnType());
            returned = null;
            loops = new ArrayDeque<>();
            List<Stmt> top = body.stmts();
            int returns = countReturns(body);
            singleFinalReturn = returns == 1 && !top.isEmpty() && top.get(top.size() - 1) instanceof Stmt.Return;
            if (isVoid) {
                if (returns > 0) {
                    returned = symbols.fresh("returned", Ty.BOOLEAN);
                    allFlags.add(returned);
                    out.add(new Core.Declare(returned, lit("false", Ty.BOOLEAN), Pos.NONE));
                }
            } else if (!singleFinalReturn) {
                out.add(new Core.Declare(result, zero(callee.returnType()), call.pos()));
                returned = symbols.fresh("returned", Ty.BOOLEAN);
                allFlags.add(returned);
                out.add(new Core.Declare(returned, lit("false", Ty.BOOLEAN), Pos.NONE));
            }
            // the body's exits (its returns) end the body, not the caller's statement
            out.addAll(lowerStmts(top, 0).stmts());
            return isVoid ? null : var(result);
        } finally {
            result = savedResult;
            returned = savedReturned;
            singleFinalReturn = savedSingle;
            loops = savedLoops;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Expr.Var var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }

    private static Expr lit(String text, Ty type) {
        return new Expr.Lit(text, type, Pos.NONE);
    }

    /** @return the zero of a type: {@code 0.0}, {@code 0}, {@code 0L}, {@code false}, or null for arrays */
    public static Expr zero(Ty t) {
        return switch (t) {
            case DOUBLE -> lit("0.0", t);
            case INT -> lit("0", t);
            case LONG -> lit("0L", t);
            case BOOLEAN -> lit("false", t);
            default -> lit("null", t);
        };
    }

    private static Core.Block block(List<Core> stmts) {
        return new Core.Block(stmts, Pos.NONE);
    }

    private Expr notAny(Set<Sym> flags) {
        usedFlags.addAll(flags);
        Expr any = null;
        for (Sym f : flags) {
            any = any == null ? var(f) : new Expr.Binary(BinOp.OR, any, var(f), Ty.BOOLEAN, Pos.NONE);
        }
        return new Expr.Unary(Expr.UnOp.NOT, any, Ty.BOOLEAN, Pos.NONE);
    }

    /** Inserts the implicit narrowing of a compound assignment ({@code i += 1.5} is {@code i = (int) (i + 1.5)}). */
    private static Expr narrow(Expr value, Ty target) {
        if (value.type() == target || !target.isNumeric() || !value.type().isNumeric()) {
            return value;
        }
        return new Expr.Cast(target, value, value.pos());
    }

    private static Expr widen(Expr value, Ty target) {
        return value.type() == target ? value : new Expr.Cast(target, value, value.pos());
    }

    private static int countReturns(Stmt s) {
        int[] n = {0};
        IrWalker.forEachStmt(s, x -> n[0] += x instanceof Stmt.Return ? 1 : 0);
        return n[0];
    }

    /** Drops the declarations and assignments of flags that no guard reads. */
    private Core.Block removeUnusedFlags(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            if (c instanceof Core.Declare d && allFlags.contains(d.sym()) && !usedFlags.contains(d.sym())) {
                continue;
            }
            if (c instanceof Core.Assign a && a.target() instanceof Expr.Var v && allFlags.contains(v.sym())
                    && !usedFlags.contains(v.sym())) {
                continue;
            }
            out.add(removeUnusedFlagsIn(c));
        }
        return new Core.Block(out, b.pos());
    }

    private Core removeUnusedFlagsIn(Core c) {
        return CoreWalk.mapBlocks(c, this::removeUnusedFlags);
    }
}
