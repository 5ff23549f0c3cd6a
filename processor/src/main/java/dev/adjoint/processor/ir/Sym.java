package dev.adjoint.processor.ir;

/**
 * A variable of the user's method: a parameter or a local. Every use of a variable in the IR refers to its
 * declaration's {@code Sym}, so that two sibling scopes that reuse a name stay distinct. Identity is by object.
 *
 * @param id         unique within the method, in declaration order
 * @param name       the user's name, kept in generated code
 * @param type       the declared (or, for {@code var}, inferred) type
 * @param paramIndex the parameter's position, or -1 for a local
 */
public record Sym(int id, String name, Ty type, int paramIndex) {
    /** @return whether this is a parameter of the method */
    public boolean isParam() {
        return paramIndex >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
