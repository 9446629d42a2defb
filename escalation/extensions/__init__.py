"""Extension requests (延期): a team asks for more time, a supervisor grants or refuses."""
