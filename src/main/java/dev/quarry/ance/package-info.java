/**
 * ANCE's machinery (Xiong et al. 2021): the corpus index refreshed asynchronously with the latest checkpoint while
 * training goes on ({@link dev.quarry.ance.IndexRefresher}, {@link dev.quarry.ance.TableBuilder}), the table of each
 * training query's negatives from the newest index, their sampling, the refresh log and report. It knows no trainer:
 * {@code dev.quarry.dpr.AnceNegativeSource} plugs it into DPR's. May import {@code data}, {@code index}, {@code io},
 * {@code mine}, {@code model}, {@code random}, {@code util}.
 */
package dev.quarry.ance;
