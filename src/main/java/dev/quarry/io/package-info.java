/**
 * The bottom floor: strict line reading with file and line in every error, atomic file outputs (with a fault hook for
 * tests), scratch names and the cleanup of killed writers' leftovers, output-path checks, checksums, JSON and TSV
 * helpers. Imports no other Quarry package.
 */
package dev.quarry.io;
