/*
 * hash.h — content hashes (SHA-256 via nettle) for sources, codebooks and runs.
 */
#ifndef THEMA_HASH_H
#define THEMA_HASH_H

#include <stddef.h>

/* Hex SHA-256 of data[0..n) into out (65 bytes with the NUL). */
void thema_hash_sha256(const void *data, size_t n, char out[65]);

#endif
