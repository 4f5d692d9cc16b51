#!/usr/bin/env python3
"""Checks the size rules of the code base: no Swift source file over 400 lines, no function (func, init, deinit,
closure-free accessor bodies count with their function) over 80 lines. Prints each offender and exits 1 when
there is any; prints one summary line otherwise. Usage: scripts/check-sizes.py [DIR ...] (default: Sources)."""
import os
import re
import sys

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
DECL = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|open|static|class|final|'
                  r'mutating|nonmutating|override|convenience|required|nonisolated|@inline\(__always\)|@usableFromInline|'
                  r'@inlinable|@discardableResult)\s+)*(func\s+[^\s(<]+|init[?!]?|deinit)\b')


def strip_strings(line):
    """The line without string literals and // comments, so braces inside them do not count."""
    line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
    i = line.find('//')
    return line if i < 0 else line[:i]


def functions(lines):
    """(name, first line, line count) of every function-like declaration with a body."""
    out = []
    i = 0
    while i < len(lines):
        m = DECL.match(lines[i])
        if not m:
            i += 1
            continue
        depth = 0
        opened = False
        j = i
        while j < len(lines):
            code = strip_strings(lines[j])
            depth += code.count('{') - code.count('}')
            if '{' in code:
                opened = True
            if opened and depth <= 0:
                break
            if not opened and j > i and (code.strip() == '' or DECL.match(lines[j])):
                break  # a requirement without a body (protocols)
            j += 1
        if opened:
            out.append((m.group(1), i + 1, j - i + 1))
        i += 1
    return out


def main():
    roots = sys.argv[1:] or ['Sources']
    problems = []
    files = 0
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for name in sorted(names):
                if not name.endswith('.swift'):
                    continue
                path = os.path.join(dirpath, name)
                files += 1
                with open(path, encoding='utf-8') as f:
                    lines = f.read().split('\n')
                if len(lines) - 1 > MAX_FILE_LINES:
                    problems.append(f'{path}: {len(lines) - 1} lines (max {MAX_FILE_LINES})')
                for fn, start, count in functions(lines):
                    if count > MAX_FUNCTION_LINES:
                        problems.append(f'{path}:{start}: {fn} is {count} lines (max {MAX_FUNCTION_LINES})')
    for p in problems:
        print(p)
    if problems:
        print(f'check-sizes: {len(problems)} over the limits in {files} files')
        return 1
    print(f'check-sizes: {files} Swift files, none over {MAX_FILE_LINES} lines, no function over {MAX_FUNCTION_LINES} lines')
    return 0


if __name__ == '__main__':
    sys.exit(main())
