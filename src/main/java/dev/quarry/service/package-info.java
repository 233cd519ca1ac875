/**
 * The HTTP service over a search index ({@link dev.quarry.service.SearchService}: JSON endpoints and a search page),
 * built on the JDK's HTTP server. Imports {@code api} and the floors below it.
 */
package dev.quarry.service;
