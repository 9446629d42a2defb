"""The admin log (操作记录): who changed users, teams, rotas and rules, and when."""
