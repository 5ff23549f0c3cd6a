package dev.adjoint.processor.ir;

import java.util.List;

/**
 * The lowered IR that analysis and the transforms work on, and that the transforms return. Lowering (package
 * {@code lower}) brings the user's statements to this small form:
 * <ul>
 *   <li>expressions are pure: no assignments, increments or side-effecting calls inside them, and no
 *       {@code ?:} that chooses between floating values (those become {@link If}s);</li>
 *   <li>every assignment is one {@link Assign} of a pure value to a variable or an array element;</li>
 *   <li>there are no jumps: {@code break}, {@code continue} and {@code return} become flags and guards,
 *       so every block runs to its end or throws;</li>
 *   <li>every loop is a {@link For} (a counted loop, reversed as a loop running backwards) or a {@link While}
 *       (whose trips are counted).</li>
 * </ul>
 * A transform's output is the same IR plus the nodes only derivatives have: {@link Save} and {@link Restore}
 * (the tape), {@link Accumulate} (into an adjoint), {@link Zero} (an adjoint passed on), {@link Switch} (the branch the forward sweep took) and
 * {@link Note} (what a generated comment says), each knowing the rule or the source statement it comes from. One
 * printer (package {@code emit}) turns it into Java. Every node has a {@code pos} for diagnostics.
 */
public sealed interface Core {
    /** @return where it came from */
    Pos pos();

    /** @return what the visitor returns for this node: dispatch the compiler checks for every node kind */
    <R> R accept(Visitor<R> v);

    /** One method per statement kind, so that no pass can forget one. */
    interface Visitor<R> {
        R visitBlock(Block c);

        R visitDeclare(Declare c);

        R visitAssign(Assign c);

        R visitEval(Eval c);

        R visitIf(If c);

        R visitFor(For c);

        R visitWhile(While c);

        R visitThrow(Throw c);

        R visitSave(Save c);

        R visitRestore(Restore c);

        R visitAccumulate(Accumulate c);

        R visitZero(Zero c);

        R visitSwitch(Switch c);

        R visitNote(Note c);
    }

    /**
     * A visitor for passes over a method's lowered body, which never holds the nodes only derivatives have: those
     * throw, naming the node.
     */
    interface PrimalVisitor<R> extends Visitor<R> {
        @Override
        default R visitSave(Save c) {
            throw notPrimal(c);
        }

        @Override
        default R visitRestore(Restore c) {
            throw notPrimal(c);
        }

        @Override
        default R visitAccumulate(Accumulate c) {
            throw notPrimal(c);
        }

        @Override
        default R visitZero(Zero c) {
            throw notPrimal(c);
        }

        @Override
        default R visitSwitch(Switch c) {
            throw notPrimal(c);
        }

        @Override
        default R visitNote(Note c) {
            throw notPrimal(c);
        }

        private static IllegalStateException notPrimal(Core c) {
            return new IllegalStateException(c.getClass().getSimpleName() + " in a method's lowered body: only "
                    + "derivatives have it");
        }
    }

    /** A scope. */
    record Block(List<Core> stmts, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitBlock(this);
        }
    }

    /**
     * {@code T sym = init;}; {@code init} is never null (lowering fills in the type's zero).
     *
     * @param origin the rule that gives a derivative temporary its value, or null
     */
    record Declare(Sym sym, Expr init, Origin origin, Pos pos) implements Core {
        public Declare(Sym sym, Expr init, Pos pos) {
            this(sym, init, null, pos);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitDeclare(this);
        }
    }

    /**
     * {@code target = value;}: {@code target} is an {@link Expr.Var} or an {@link Expr.ArrayLoad}.
     *
     * @param origin the rule that scales an adjoint in place, or null
     */
    record Assign(Expr target, Expr value, Origin origin, Pos pos) implements Core {
        public Assign(Expr target, Expr value, Pos pos) {
            this(target, value, null, pos);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitAssign(this);
        }
    }

    /** A call evaluated for its effect, result discarded. */
    record Eval(Expr call, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitEval(this);
        }
    }

    /** {@code if (cond) then else otherwise}; {@code otherwise} may be empty. */
    record If(Expr cond, Block then, Block otherwise, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitIf(this);
        }
    }

    /**
     * A counted loop: {@code for (T index = from; index cmp bound; index += step)} with {@code step} +1 or -1,
     * where neither the index nor anything the bound reads is assigned in the body. Reversed as the same loop
     * running backwards, with no trip count stored.
     */
    record For(Sym index, Expr from, Expr.BinOp cmp, Expr bound, int step, Block body, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitFor(this);
        }
    }

    /**
     * Any other loop. {@code testFirst} loops run {@code while (true) { preCond; if (!cond) break; body; update; }};
     * do-loops run {@code do { body; } while (cond);}. {@code cond} is pure and reads no local declared in
     * {@code preCond} or {@code body}: a condition with side effects is evaluated, with the statements that carry
     * them out, into a boolean flag declared before the loop, and {@code cond} reads the flag. Those statements are
     * {@code preCond} of a {@code testFirst} loop (usually empty) and the end of a do-loop's body (its
     * {@code preCond} is empty); after a {@code break} or {@code return} they are skipped, as Java skips the
     * condition.
     */
    record While(Block preCond, Expr cond, Block body, Block update, boolean testFirst, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitWhile(this);
        }
    }

    /** {@code throw source;}, copied as written. */
    record Throw(String source, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitThrow(this);
        }
    }

    /** Derivatives only: puts {@code value} on the tape (the kind of push follows its type). */
    record Save(Expr value, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitSave(this);
        }
    }

    /**
     * Derivatives only: takes the value {@code target} had back from the tape.
     *
     * @param declare whether this declares {@code target} (a variable), as the reverse sweep does for the locals of
     *                a nested block
     */
    record Restore(Expr target, boolean declare, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitRestore(this);
        }
    }

    /**
     * Derivatives only: {@code adjoint += term} (or {@code -=}), one operand's share of an adjoint by a rule.
     *
     * @param adjoint  the adjoint: a variable or an element of an adjoint array
     * @param subtract whether the share is subtracted
     * @param origin   the rule and partial derivative that give the share
     */
    record Accumulate(Expr adjoint, Expr term, boolean subtract, Origin origin, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitAccumulate(this);
        }
    }

    /** Derivatives only: {@code adjoint = 0}, once the adjoint of an overwritten value has been passed on. */
    record Zero(Expr adjoint, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitZero(this);
        }
    }

    /**
     * Derivatives only: runs case {@code k} for the {@code k} that {@code selector} gives (which arm of an else-if
     * chain the forward sweep took); empty cases do nothing.
     */
    record Switch(Expr selector, List<Block> cases, Pos pos) implements Core {
        public Switch {
            cases = List.copyOf(cases);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitSwitch(this);
        }
    }

    /** Derivatives only: a comment in generated code, as data. */
    record Note(Says says, Pos pos) implements Core {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visitNote(this);
        }
    }

    /** What a {@link Note} says. */
    sealed interface Says {
        /** The reverse of {@code stmt} follows: the comment is the statement itself. */
        record SourceOf(Core stmt) implements Says {}

        /** The variables a block saves when it ends, for the reverse sweep. */
        record Saved(List<Sym> syms) implements Says {
            public Saved {
                syms = List.copyOf(syms);
            }
        }

        /**
         * The locals of the block whose reverse starts here, computed again from what they were computed from (which
         * has not changed), rather than saved when the block ended.
         */
        record Recomputed(List<Sym> syms) implements Says {
            public Recomputed {
                syms = List.copyOf(syms);
            }
        }

        /** An adjoint that a rule would scale by 1 is left as it is. */
        record Unchanged(Expr adjoint, Origin origin) implements Says {}

        /**
         * The loop that follows reverses each trip right after it runs: its trips share only the accumulators, whose
         * adjoints no trip changes.
         */
        record TripByTrip(For loop, List<Sym> accumulators) implements Says {
            public TripByTrip {
                accumulators = List.copyOf(accumulators);
            }
        }

        /**
         * The loop that follows adds into one element of an array, the same in every trip: it is kept in
         * {@code local} while the loop runs and stored back after it.
         */
        record ScalarAccumulator(Expr element, Sym local) implements Says {}

        /** The reverse of the trip that has just run follows. */
        record TripReversed(List<Sym> accumulators) implements Says {
            public TripReversed {
                accumulators = List.copyOf(accumulators);
            }
        }
    }
}
