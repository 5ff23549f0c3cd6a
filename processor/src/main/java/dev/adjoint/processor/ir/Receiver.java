package dev.adjoint.processor.ir;

import java.util.List;

/**
 * The object an instance method runs on, as its generated entry points take it: their first parameter, whose fields
 * the method reads are bound to locals at the start of every generated method. Each such field is a parameter of
 * the parsed method ({@link MethodIR#params()}, before the method's own), so the later stages treat a field like a
 * parameter: a constant, or, named in {@code wrt} as {@code this.name}, differentiated.
 *
 * @param type   the receiver's class, canonical name ({@code p.Outer.Inner})
 * @param binary its binary name ({@code p.Outer$Inner}), from which generated code names the type
 * @param name   the receiver parameter's name in generated code (made unique among the method's names)
 * @param fields the fields the method reads or differentiates, in declaration order
 */
public record Receiver(String type, String binary, String name, List<Field> fields) {
    /**
     * One field of the receiver, as a parameter of the parsed method.
     *
     * @param sym      its symbol (a parameter), named {@code w} or, when a name of the method is {@code w} too,
     *                 {@code thisW}
     * @param field    the field's name
     * @param accessor whether it is read through its accessor ({@code w()}, a record's component)
     * @param result   the name of its gradient accessor in the result ({@code w}; {@code thisW} when a parameter
     *                 is also named {@code w})
     */
    public record Field(Sym sym, String field, boolean accessor, String result) {}

    /** @return the field a parameter stands for, or null when it is one of the method's own parameters */
    public Field fieldOf(Sym sym) {
        for (Field f : fields) {
            if (f.sym() == sym) {
                return f;
            }
        }
        return null;
    }
}
