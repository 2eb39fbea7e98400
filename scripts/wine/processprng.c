/* A stand-in for bcryptprimitives.dll's ProcessPrng, which Go 1.22+ Windows binaries
 * need at start and Wine 8 does not provide. It forwards to advapi32's RtlGenRandom
 * (SystemFunction036). Test use only: never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
