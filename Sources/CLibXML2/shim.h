// The libxml2 headers Kilde uses, included in the one order that builds clean (PLATFORM.md, "HTML").
#ifndef KILDE_CLIBXML2_SHIM_H
#define KILDE_CLIBXML2_SHIM_H

// xmlversion.h first, then drop ICU: with LIBXML_ICU_ENABLED, encoding.h includes <unicode/ucnv.h>, and a
// module that also imports Foundation (which carries its own ICU) fails a clean build with "'UErrorCode' has
// different definitions in different modules". An incremental build after that failure may wrongly succeed,
// so check this with a clean build. Kilde never asks libxml2 for an ICU converter.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlmemory.h>

// xmlFree is a global function pointer (libxml2 lets a program swap its allocator); Swift 6 refuses to read it
// as shared mutable state, so Swift calls this wrapper instead.
static inline void kilde_xmlFree(void *pointer) { xmlFree(pointer); }

// xmlParserMaxDepth is a global variable too: the deepest element libxml2's tree builder accepts before it halts
// the parse. KildeHTML's table reader, which builds no tree, halts where the tree builder would.
static inline unsigned int kilde_xmlParserMaxDepth(void) { return xmlParserMaxDepth; }

#endif
