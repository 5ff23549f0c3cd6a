package dev.adjoint.processor.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * The symbols of one method: hands out ids and hygienic names for every variable a stage introduces (temporaries,
 * flags, adjoints, trip counts), and knows the name each symbol has in generated code.
 */
public final class SymbolTable {
    private final Names names;
    private int nextId;
    private final Map<Sym, String> renamed = new HashMap<>();

    /**
     * @param names  the method's names, seeded with every identifier it mentions
     * @param nextId the first id not yet used
     */
    public SymbolTable(Names names, int nextId) {
        this.names = names;
        this.nextId = nextId;
    }

    /** @return an independent table with the same names taken, ids used and renames: one per derivative */
    public SymbolTable copy() {
        SymbolTable t = new SymbolTable(names.copy(), nextId);
        t.renamed.putAll(renamed);
        return t;
    }

    /**
     * @return the symbol table of a parsed method: its names seeded with every identifier the method mentions
     *     ({@link Names#of}), its ids continuing after the parser's (the parameters' and the declared locals')
     */
    public static SymbolTable of(MethodIR method) {
        int[] maxId = {0};
        method.params().forEach(p -> maxId[0] = Math.max(maxId[0], p.id()));
        IrWalker.forEachSym(method.body(), s -> maxId[0] = Math.max(maxId[0], s.id()));
        return new SymbolTable(Names.of(method), maxId[0] + 1);
    }

    /** @return a new local of that type, named {@code base} or, if that is taken, {@code base_}, ... */
    public Sym fresh(String base, Ty type) {
        return new Sym(nextId++, names.fresh(base), type, -1);
    }

    /**
     * @return a new local with the name {@code s} has in generated code and another type, to take its place in a
     *     derivative that no longer mentions {@code s} (vector mode's adjoints: {@code xBar} becomes a
     *     {@code double[]} of one value per direction)
     */
    public Sym retyped(Sym s, Ty type) {
        Sym t = new Sym(nextId++, s.name(), type, -1);
        if (renamed.containsKey(s)) {
            renamed.put(t, renamed.get(s));
        }
        return t;
    }

    /** @return a new hygienic name, reserved from now on */
    public String freshName(String base) {
        return names.fresh(base);
    }

    /** @return the hygienic names */
    public Names names() {
        return names;
    }

    /**
     * Gives a variable another name in generated code: a nested block's local that has the name of a top-level
     * local declared after the block is legal in the user's method, but the reverse sweep re-declares the block's
     * locals where the top-level one is in scope.
     */
    public void rename(Sym s, String name) {
        renamed.put(s, name);
    }

    /** @return the variable's name in generated code */
    public String name(Sym s) {
        return renamed.getOrDefault(s, s.name());
    }
}
