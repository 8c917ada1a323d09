process.stderr.write('gpt-image: not implemented yet\n');
process.exit(1);
