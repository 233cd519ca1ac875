/**
 * The picocli commands of {@code bin/quarry}: thin layers that parse options, call the library and print what it
 * reports. Library code never prints; nothing imports this package.
 */
package dev.quarry.cli;
