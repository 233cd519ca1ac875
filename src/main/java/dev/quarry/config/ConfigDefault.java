package dev.quarry.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a config key takes when a file leaves it out, written as YAML would write it ({@code "0.01"},
 * {@code "every_epoch"}, {@code "true"}), on the record component that the key binds to. A component without one is
 * required, unless its type is an {@code Optional} (absent means empty) or a record whose every key has a default
 * (absent means all defaults). {@link ConfigBinder} applies it; the value is checked as if the file had written it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigDefault {
  /** The default, as YAML text. */
  String value();
}
